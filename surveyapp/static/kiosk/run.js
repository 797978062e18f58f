// The kiosk pages with scripts: after assent the tablet leads the child through the questionnaires of the run
// (take pages, one screen at a time), puts every finished questionnaire in the outbox (queue.js) before moving
// on, and shows the helplines on the done page when needed. Everything the server rendered keeps working
// without this file: where something is missing (storage, IndexedDB, service worker) the page stays online.
(function () {
  "use strict";

  var kiosk = window.SurveyKiosk;
  var RUN_KEY = "surveyKiosk.run"; // session: the run of the child at the tablet (codes, questionnaires)
  var DRAFT_KEY = "surveyKiosk.draft"; // session: {version_id, screen, answers} of the open questionnaire
  var DONE_KEY = "surveyKiosk.done"; // session: what the done page decided, kept for a reload
  var DONE_PAGE_WAIT_MS = 4000; // how long the done page waits for the last send before deciding

  // ---- Settings and texts ---------------------------------------------------------------------------------

  function readSettings() {
    try { return JSON.parse(document.body.dataset.kiosk || "{}"); } catch (error) { return {}; }
  }

  /** A lookup of the page's translated texts (kiosk_pages.script_strings) that fills in {placeholders}. */
  function textLookup(strings) {
    return function text(key, values) {
      var template = (strings && strings[key]) || "";
      return template.replace(/\{(\w+)\}/g, function (whole, name) {
        return values && name in values ? String(values[name]) : whole;
      });
    };
  }

  // ---- Service worker -------------------------------------------------------------------------------------

  /** Registers the kiosk's service worker and asks it to keep the pages this session needs offline. */
  function registerServiceWorker(settings, text) {
    if (!("serviceWorker" in navigator) || !settings.sw) { return; } // also: plain http other than localhost
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "precached") { showOfflineReadiness(event.data, text); }
    });
    navigator.serviceWorker.register(settings.sw)
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        if (registration.active && settings.precache) {
          registration.active.postMessage({
            type: "precache", urls: settings.precache, offline_url: settings.offline_url
          });
        }
      })
      .catch(function () { /* no offline copies: the pages still work online */ });
  }

  /** The device/ready page tells the adult whether the tablet can go on without network. */
  function showOfflineReadiness(result, text) {
    var status = document.getElementById("offline-ready");
    if (!status) { return; }
    status.textContent = result.failed.length === 0 ?
      text("offline_ready", { n: result.kept.length }) : text("offline_incomplete", { n: result.failed.length });
  }

  // ---- The child's run ------------------------------------------------------------------------------------

  function loadRun() { return kiosk.store.session.get(RUN_KEY); }

  function saveRun(run) { return kiosk.store.session.set(RUN_KEY, run); }

  function uuidsOf(run) { return run.queue.map(function (entry) { return entry.client_uuid; }); }

  /** Forgets everything about the child at the tablet (the outbox keeps what was finished). */
  function discardChild() {
    var run = loadRun();
    if (run) { kiosk.queue.forgetConfirmations(uuidsOf(run)); }
    [RUN_KEY, DRAFT_KEY, DONE_KEY].forEach(kiosk.store.session.remove);
  }

  /** A kiosk page path with its language in the URL, exactly as the precache list names it. */
  function pageUrl(path, language) {
    var url = new URL(path, window.location.href);
    url.searchParams.set("lang", language);
    return url.pathname + url.search;
  }

  function takeUrl(run, versionId, language) {
    return pageUrl(run.take_url.replace("{version_id}", String(versionId)), language);
  }

  /** The first questionnaire of the run not finished yet, or the done page. */
  function nextPage(run, language) {
    var next = run.queue.find(function (entry) { return run.finished.indexOf(entry.client_uuid) < 0; });
    return next ? takeUrl(run, next.version_id, language) : pageUrl(run.done_url, language);
  }

  // ---- Dialogs (no window.confirm: it cannot be styled for a child and blocks the idle timer) ---------------

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /** A modal dialog with a title, a text and big buttons [{label, secondary, onClick}]. */
  function openDialog(title, body, buttons) {
    var dialog = element("dialog", "kiosk-dialog");
    var heading = element("h2", null, title);
    heading.id = "kiosk-dialog-title";
    dialog.setAttribute("aria-labelledby", heading.id);
    var actions = element("div", "dialog-actions");
    buttons.forEach(function (spec) {
      var button = element("button", spec.secondary ? "secondary" : null, spec.label);
      button.type = "button";
      button.addEventListener("click", spec.onClick);
      actions.appendChild(button);
    });
    dialog.append(heading, element("p", null, body), actions);
    document.body.appendChild(dialog);
    if (typeof dialog.showModal === "function") { dialog.showModal(); } else { dialog.setAttribute("open", ""); }
    actions.firstChild.focus();
    return dialog;
  }

  function closeDialog(dialog) {
    if (typeof dialog.close === "function" && dialog.open) { dialog.close(); }
    dialog.remove();
  }

  /**
   * After `idle_seconds` without a touch or a key: a warning with a big Continue button for
   * `idle_warning_seconds` (or nothing, when `warn` is false), then `onTimeout`.
   */
  function watchIdle(settings, text, warn, onTimeout) {
    var idleMs = (settings.idle_seconds || 180) * 1000;
    var warningSeconds = settings.idle_warning_seconds || 30;
    var timer = null;
    var warning = null;

    function arm() {
      clearTimeout(timer);
      timer = setTimeout(warn ? showWarning : onTimeout, idleMs);
    }

    function showWarning() {
      var left = warningSeconds;
      var countdown = element("p", "countdown", String(left));
      warning = openDialog(text("idle_title"), text("idle_body"), [{ label: text("continue"), onClick: resume }]);
      warning.insertBefore(countdown, warning.lastChild);
      warning.addEventListener("cancel", function (event) { event.preventDefault(); resume(); }); // Esc = here
      timer = setInterval(function () {
        left -= 1;
        countdown.textContent = String(Math.max(left, 0));
        if (left <= 0) { clearInterval(timer); onTimeout(); }
      }, 1000);
    }

    function resume() {
      clearInterval(timer);
      closeDialog(warning);
      warning = null;
      arm();
    }

    ["pointerdown", "touchstart", "keydown", "input"].forEach(function (type) {
      document.addEventListener(type, function () { if (!warning) { arm(); } }, { capture: true, passive: true });
    });
    arm();
  }

  /** The start-over form asks first, in the page; offline there is no server to ask. */
  function confirmStartOver(text, onConfirmed) {
    var form = document.getElementById("start-over");
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var dialog = openDialog(text("start_over_title"), text("start_over_body"), [
        { label: text("start_over_no"), onClick: function () { closeDialog(dialog); } },
        { label: text("start_over_yes"), secondary: true, onClick: onConfirmed }
      ]);
    });
  }

  function leaveForJoinPage(settings) {
    discardChild();
    window.location.replace(settings.join_url);
  }

  /** The page's language buttons switch language through `switchTo(language)` instead of the server. */
  function interceptLanguageButtons(switchTo) {
    document.querySelectorAll('button[name="language"], button[name="switch_language"]').forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        switchTo(button.value);
      });
    });
  }

  // ---- Questionnaire form: answers ------------------------------------------------------------------------

  function jsonData(node, name) {
    return node.dataset[name] ? JSON.parse(node.dataset[name]) : null;
  }

  /** The questions of the form, with the expressions the server parsed (FORMAT.md, "Expressions") as trees. */
  function readQuestions(form) {
    return Array.prototype.map.call(form.querySelectorAll(".question[data-item]"), function (node) {
      return {
        node: node, id: node.dataset.item, type: node.dataset.type, screen: Number(node.dataset.screen || 0),
        required: node.dataset.required === "true", keep: node.dataset.keepIfNotRelevant === "true",
        condition: jsonData(node, "relevant"), constraint: jsonData(node, "constraint"),
        choiceFilter: jsonData(node, "choiceFilter"), requiredMessage: node.dataset.requiredMessage,
        constraintMessage: node.dataset.constraintMessage, applies: true, number: null
      };
    });
  }

  /** The calculate items [{id, calculation}], in item order: never shown, never sent. */
  function readCalculates(form) {
    return jsonData(form, "calculates") || [];
  }

  function inputsOf(question) {
    return Array.prototype.slice.call(question.node.querySelectorAll("input, textarea, select"));
  }

  /** An option's value as the instrument stores it: an int or a choice name (data-value, JSON). */
  function optionValue(input) {
    return JSON.parse(input.dataset.value);
  }

  /**
   * The answer as the JSON intake takes it (FORMAT.md, Answers): choice the option's value (int or string),
   * multi a list of them, integer/decimal a number, text a string, date "YYYY-MM-DD"; undefined when not
   * answered (left out of the body, never null).
   */
  function answerOf(question) {
    var inputs = inputsOf(question);
    if (question.type === "choice" || question.type === "multi") {
      var values = inputs.filter(function (input) { return input.checked && input.value !== ""; }) // "" = No answer
        .map(optionValue);
      if (values.length === 0) { return undefined; }
      return question.type === "multi" ? values : values[0];
    }
    if (inputs.length === 0 || inputs[0].value.trim() === "") { return undefined; }
    if (question.type === "integer" || question.type === "decimal") { return Number(inputs[0].value); }
    return question.type === "text" || question.type === "date" ? inputs[0].value : undefined;
  }

  function setAnswer(question, value) {
    inputsOf(question).forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        var chosen = Array.isArray(value) ? value : [value];
        input.checked = input.value !== "" && chosen.indexOf(optionValue(input)) >= 0;
      } else {
        input.value = value === undefined ? "" : String(value);
      }
    });
  }

  function allAnswers(questions) {
    var answers = {};
    questions.forEach(function (question) {
      var value = answerOf(question);
      if (value !== undefined) { answers[question.id] = value; }
    });
    return answers;
  }

  /** What is sent: answers to the questions that apply, and risk answers kept although they no longer do. */
  function answersToSend(questions) {
    return allAnswers(questions.filter(function (question) { return question.applies || question.keep; }));
  }

  // ---- Questionnaire form: relevance, choice filters, calculations, numbering, checks ----------------------

  /**
   * Judges every `relevant` condition and choice filter in item order on the answers of the questions that apply
   * and the calculations made from them (FORMAT.md: an answer to a question that does not apply is disregarded,
   * as the server does). A question that stops applying loses its answer, unless it is a risk item
   * (data-keep-if-not-relevant): that answer is sent and counted; a chosen option the filter now hides is
   * unchosen. Returns the questions whose answer was removed, [{number, isChoice}].
   */
  function applyRelevance(questions, calculates) {
    var given = {};
    var removed = [];
    questions.forEach(function (question) {
      var values = kiosk.expressions.withCalculatedValues(calculates, given);
      question.applies = !question.condition || kiosk.conditions.holds(question.condition, values);
      if (question.applies && question.choiceFilter && filterOptions(question, values)) {
        removed.push({ number: question.number, isChoice: true });
      }
      var value = answerOf(question);
      if (!question.applies && !question.keep && value !== undefined) {
        removed.push({ number: question.number, isChoice: false });
        setAnswer(question, undefined);
      }
      if (question.applies && value !== undefined) { given[question.id] = value; }
    });
    return removed;
  }

  /** Shows the options the question's choice filter keeps; true when a chosen option was hidden (and unchosen). */
  function filterOptions(question, values) {
    var unchosen = false;
    question.node.querySelectorAll("label[data-columns]").forEach(function (label) {
      var option = { values: values, columns: jsonData(label, "columns") };
      var keeps = kiosk.expressions.holds(question.choiceFilter, option);
      var input = label.querySelector("input");
      label.hidden = !keeps;
      if (!keeps && input.checked) {
        input.checked = false;
        unchosen = true;
      }
    });
    return unchosen;
  }

  /** The answers to the questions that apply and the calculated values: what ${item} and constraints see. */
  function currentValues(questions, calculates) {
    var applying = questions.filter(function (question) { return question.applies; });
    return kiosk.expressions.withCalculatedValues(calculates, allAnswers(applying));
  }

  /** Fills every text that names an item (${item}, data-fill) with its current value, as ODK shows it. */
  function fillTexts(form, values) {
    form.querySelectorAll("[data-fill]").forEach(function (node) {
      node.textContent = kiosk.expressions.fillText(node.dataset.fill, values);
    });
  }

  /** Relevance, filters, texts and numbers brought up to date with the answers; returns the removed answers. */
  function refresh(form, questions, calculates) {
    var removed = applyRelevance(questions, calculates);
    fillTexts(form, currentValues(questions, calculates));
    renumber(questions);
    return removed;
  }

  function isNumbered(question) { return question.applies && question.type !== "note"; }

  /** Numbers the questions that apply 1, 2, 3... without gaps, in the page's own number format. */
  function renumber(questions) {
    var number = 0;
    questions.forEach(function (question) {
      if (!isNumbered(question)) { return; }
      number += 1;
      question.number = number;
      var label = question.node.querySelector(".number");
      if (label) {
        label.textContent = /\d+/.test(label.textContent) ? label.textContent.replace(/\d+/, number) : number;
      }
    });
  }

  /**
   * What to tell about a question that cannot be left as it is, else null: a number or date the browser cannot
   * read, a required question unanswered, an answer that breaks the constraint (checked only when answered).
   * The instrument's own message comes first, with its ${item} filled in.
   */
  function problemOf(question, values, text) {
    var unreadable = inputsOf(question).some(function (input) {
      return (input.type === "number" || input.type === "date") && input.validity && !input.validity.valid;
    });
    if (unreadable) { return text("invalid"); }
    var answer = answerOf(question);
    if (answer === undefined) {
      return question.required ? ownMessage(question.requiredMessage, values) || text("required") : null;
    }
    if (question.constraint && !kiosk.expressions.holds(question.constraint, { values: values, self: answer })) {
      return ownMessage(question.constraintMessage, values) || text("invalid");
    }
    return null;
  }

  function ownMessage(message, values) {
    return message ? kiosk.expressions.fillText(message, values) : null;
  }

  function clearProblem(question) {
    question.node.classList.remove("has-problem");
    var old = question.node.querySelector(".problem");
    if (old) { old.remove(); }
  }

  function showProblem(question, problem) {
    clearProblem(question);
    question.node.classList.add("has-problem");
    var message = element("p", "problem", problem);
    message.setAttribute("role", "alert");
    var anchor = question.node.querySelector(".hint") || question.node.querySelector("legend");
    if (anchor) { anchor.after(message); } else { question.node.prepend(message); }
  }

  // ---- Questionnaire form: screens and progress -----------------------------------------------------------

  /**
   * One screen at a time (data-screen). Next/Back are made here; the server's #send becomes the last screen's
   * Send. `check(question)` tells what is wrong with a question (problemOf) or null; `place` ({index, count})
   * puts this questionnaire in the session's progress; `onSend(answers, controls)` takes over once every screen
   * is complete.
   */
  function createScreens(form, questions, check, text, place, onSend) {
    var screenNumbers = questions.map(function (q) { return q.screen; })
      .filter(function (screen, index, all) { return all.indexOf(screen) === index; })
      .sort(function (a, b) { return a - b; });
    var current = screenNumbers[0];
    var controls = buildControls(form, text);
    var bars = buildProgress(form);

    function shownScreens() {
      return screenNumbers.filter(function (screen) {
        return questions.some(function (q) { return q.screen === screen && q.applies; });
      });
    }

    function questionsOn(screen) {
      return questions.filter(function (q) { return q.screen === screen && q.applies; });
    }

    function render() {
      var shown = shownScreens();
      if (shown.indexOf(current) < 0) { // the draft's screen has nothing left: the next one that has
        var later = shown.filter(function (screen) { return screen > current; });
        current = later.length ? later[0] : shown[shown.length - 1];
      }
      questions.forEach(function (q) { q.node.hidden = !(q.applies && q.screen === current); });
      var position = shown.indexOf(current);
      controls.back.hidden = position <= 0;
      controls.next.hidden = position === shown.length - 1;
      controls.send.hidden = position !== shown.length - 1;
      showProgress(bars, questions, current, text, place);
    }

    /** Checks the shown questions of a screen; marks them and focuses the first one with a problem. */
    function screenIsComplete(screen) {
      var first = null;
      questionsOn(screen).forEach(function (question) {
        var problem = question.type === "note" ? null : check(question);
        if (problem) { showProblem(question, problem); } else { clearProblem(question); }
        if (problem && !first) { first = question; }
      });
      if (first) {
        var target = inputsOf(first)[0] || first.node;
        target.focus();
        first.node.scrollIntoView({ block: "center" });
      }
      return first === null;
    }

    function goTo(screen) {
      current = screen;
      controls.notice.textContent = "";
      render();
      var firstQuestion = questionsOn(current)[0];
      if (firstQuestion) {
        firstQuestion.node.setAttribute("tabindex", "-1");
        firstQuestion.node.focus({ preventScroll: true }); // screen readers start at the new screen
      }
      window.scrollTo(0, 0);
    }

    function step(offset) {
      var shown = shownScreens();
      if (offset > 0 && !screenIsComplete(current)) { return; }
      var target = shown[shown.indexOf(current) + offset];
      if (target !== undefined) { goTo(target); }
    }

    /** Send checks every screen again: an earlier answer may have made a required question apply. */
    function send() {
      var incomplete = shownScreens().find(function (screen) {
        return questionsOn(screen).some(function (q) { return q.type !== "note" && check(q); });
      });
      if (incomplete !== undefined) {
        if (incomplete !== current) { goTo(incomplete); }
        screenIsComplete(incomplete);
        return;
      }
      onSend(answersToSend(questions), controls);
    }

    controls.back.addEventListener("click", function () { step(-1); });
    controls.next.addEventListener("click", function () { step(1); });
    form.noValidate = true; // the checks above speak the child's language; the browser's bubbles do not
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!controls.send.hidden) { send(); }
    });
    // Enter in a field (the on-screen keyboard's "Go") moves on like Next. Left to the browser, it would
    // "click" the form's first submit button, which is a language button (form="questionnaire") at the top.
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.tagName === "INPUT") {
        event.preventDefault();
        step(1);
      }
    });

    return {
      render: render,
      notice: controls.notice,
      current: function () { return current; },
      show: function (screen) { current = screen; render(); }
    };
  }

  function buildControls(form, text) {
    var send = document.getElementById("send") || element("button", null, text("send"));
    send.type = "submit";
    var back = element("button", "secondary", text("back"));
    var next = element("button", null, text("next"));
    back.type = next.type = "button";
    back.id = "back";
    next.id = "next";
    var nav = element("div", "screen-nav");
    var notice = element("p", "kiosk-notice");
    notice.setAttribute("role", "status");
    if (send.parentNode) { send.parentNode.insertBefore(nav, send); } else { form.appendChild(nav); }
    nav.before(notice);
    nav.append(back, next, send);
    return { back: back, next: next, send: send, notice: notice };
  }

  function buildProgress(form) {
    var holder = document.querySelector(".progress");
    if (!holder) {
      holder = element("div", "progress");
      form.prepend(holder);
    }
    function bar(name) {
      var row = element("div", "progress-row " + name);
      var label = element("span", "progress-label");
      var meter = element("progress");
      meter.max = 1;
      row.append(label, meter);
      holder.appendChild(row);
      return { label: label, meter: meter };
    }
    return { questionnaire: bar("questionnaire-progress"), session: bar("session-progress") };
  }

  /** Progress in this questionnaire (questions before this screen) and in the whole run of the session. */
  function showProgress(bars, questions, current, text, place) {
    var numbered = questions.filter(isNumbered);
    var before = numbered.filter(function (q) { return q.screen < current; }).length;
    var total = Math.max(numbered.length, 1);
    var share = before / total;
    bars.questionnaire.label.textContent = text("question_of", { n: Math.min(before + 1, total), total: total });
    bars.questionnaire.meter.value = share;
    bars.session.label.textContent = text("questionnaire_of", { n: place.index + 1, total: place.count });
    bars.session.meter.value = (place.index + share) / place.count;
  }

  // ---- Pages ----------------------------------------------------------------------------------------------

  /** Assent "yes" starts the run on the tablet; without storage or IndexedDB the server leads instead. */
  function setUpAssent(settings) {
    var yes = document.querySelector('button[name="answer"][value="yes"]');
    if (!yes || !settings.run) { return; }
    yes.addEventListener("click", function (event) {
      if (yes.dataset.serverLeads) { return; }
      event.preventDefault();
      kiosk.queue.available().then(function (hasOutbox) {
        if (hasOutbox && startRun(settings.run)) {
          window.location.assign(nextPage(loadRun(), settings.language));
        } else {
          yes.dataset.serverLeads = "true";
          yes.click();
        }
      });
    });
  }

  /** Saves the run with assent; the same child coming back to assent keeps what was finished. */
  function startRun(run) {
    var previous = loadRun();
    var sameChild = previous && previous.join_code === run.join_code &&
      previous.respondent_code === run.respondent_code;
    if (!sameChild) { discardChild(); }
    kiosk.store.session.remove(DONE_KEY);
    return saveRun(Object.assign({}, run, { assent: true, finished: sameChild ? previous.finished : [] }));
  }

  function setUpTake(settings, text, form) {
    var run = loadRun();
    if (!run || !run.assent) { window.location.replace(settings.join_url); return; }
    var versionId = Number(form.dataset.versionId);
    var index = run.queue.findIndex(function (entry) { return entry.version_id === versionId; });
    var entry = run.queue[index];
    if (!entry || run.finished.indexOf(entry.client_uuid) >= 0) {
      window.location.replace(nextPage(run, settings.language)); // e.g. the back button after Send
      return;
    }
    var questions = readQuestions(form);
    var calculates = readCalculates(form);
    form.classList.add("scripted"); // hides the no-script "No answer" choices: relevance clears answers here
    var check = function (question) { return problemOf(question, currentValues(questions, calculates), text); };
    var screens = createScreens(form, questions, check, text, { index: index, count: run.queue.length },
      function (answers, controls) { sendQuestionnaire(settings, text, run, entry, form, answers, controls); });
    restoreDraft(form, questions, calculates, screens, versionId);
    form.dataset.screensReady = "true"; // one screen is shown now (tests wait for this before reading it)

    function saveDraft() {
      kiosk.store.session.set(DRAFT_KEY, {
        version_id: versionId, screen: screens.current(), answers: allAnswers(questions)
      });
    }

    function onAnswer(event) {
      var question = questions.find(function (q) { return q.node.contains(event.target); });
      if (question) { clearProblem(question); }
      var removed = refresh(form, questions, calculates);
      if (removed.length) {
        screens.notice.textContent = removed.map(function (r) {
          return r.isChoice ? text("removed_choice", { n: r.number }) : text("removed_answer", { n: r.number });
        }).join(" ");
      }
      screens.render();
      saveDraft(); // a reload or a language switch finds the answers again
    }

    form.addEventListener("change", onAnswer);
    form.addEventListener("input", onAnswer);
    form.addEventListener("click", function (event) { // Next/Back change the screen the draft names
      if (event.target.closest && event.target.closest(".screen-nav")) { saveDraft(); }
    });
    interceptLanguageButtons(function (language) {
      saveDraft();
      window.location.assign(takeUrl(run, versionId, language));
    });
  }

  /**
   * The server-led questionnaire (a tablet without an outbox): every question on one page, as without scripts,
   * but a question that does not apply is hidden and its answer cleared (risk answers are kept), and the
   * numbers have no gaps.
   */
  function setUpServerForm(form) {
    var questions = readQuestions(form);
    var calculates = readCalculates(form);
    form.classList.add("scripted");
    function update() {
      refresh(form, questions, calculates);
      questions.forEach(function (q) { q.node.hidden = !q.applies; });
    }
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    update();
  }

  function restoreDraft(form, questions, calculates, screens, versionId) {
    var draft = kiosk.store.session.get(DRAFT_KEY);
    if (draft && draft.version_id === versionId) {
      questions.forEach(function (q) { if (q.id in draft.answers) { setAnswer(q, draft.answers[q.id]); } });
    } else {
      kiosk.store.session.remove(DRAFT_KEY); // a draft of another questionnaire is stale
      draft = null;
    }
    refresh(form, questions, calculates);
    screens.show(draft ? draft.screen : screens.current());
  }

  /** Builds the body, waits until the outbox holds it, and only then moves on. */
  async function sendQuestionnaire(settings, text, run, entry, form, answers, controls) {
    controls.send.disabled = true; // a double tap must not send twice
    var outcome = await kiosk.queue.submit({
      uuid: entry.client_uuid, join_code: run.join_code, respondent_code: run.respondent_code,
      instrument: form.dataset.instrument || entry.instrument, version: form.dataset.version || entry.version,
      language: settings.language, assent: true, consent_text: run.consent_text, answers: answers
    });
    if (outcome === "failed") { // no outbox and no network: nothing is kept, so the child must not move on
      controls.notice.textContent = text("send_failed");
      controls.send.disabled = false;
      return;
    }
    run.finished.push(entry.client_uuid);
    saveRun(run);
    kiosk.store.session.remove(DRAFT_KEY);
    window.location.assign(nextPage(run, settings.language));
  }

  /**
   * The helplines are shown when a questionnaire of the run had show_helplines in its reply, or has no
   * confirmation yet (unknown result: the safe side); the page addresses a child or an adult (run.for_adults).
   * The decision is kept for a reload; the run itself is cleared so that the next person finds nothing.
   */
  async function setUpDone(settings, text, support) {
    var run = loadRun();
    if (run) { kiosk.store.session.set(DONE_KEY, await decideDone(run)); }
    var done = kiosk.store.session.get(DONE_KEY) || {};
    support.hidden = !done.support;
    showDoneStatus(done, text);
    addressDone(Boolean(done.for_adults));
  }

  /** The page is kept offline for anyone: the line about the tablet is the one for a child or an adult. */
  function addressDone(forAdults) {
    document.querySelectorAll("[data-for]").forEach(function (line) {
      line.hidden = (line.dataset.for === "adults") !== forAdults;
    });
  }

  async function decideDone(run) {
    await Promise.race([kiosk.queue.drain(), new Promise(function (resolve) {
      setTimeout(resolve, DONE_PAGE_WAIT_MS); // the last questionnaire's send, when the network allows
    })]);
    var uuids = uuidsOf(run);
    var support = uuids.some(function (uuid) {
      var confirmation = kiosk.queue.confirmationOf(uuid);
      return confirmation === null || confirmation.show_helplines;
    });
    var waiting = (await kiosk.queue.entries()).some(function (entry) {
      return entry.state === "waiting" && uuids.indexOf(entry.uuid) >= 0;
    });
    var sent = uuids.every(function (uuid) { return kiosk.queue.confirmationOf(uuid) !== null; });
    kiosk.queue.forgetConfirmations(uuids);
    [RUN_KEY, DRAFT_KEY].forEach(kiosk.store.session.remove);
    return { support: support, waiting: waiting, sent: sent, for_adults: run.for_adults };
  }

  /** Sent, or kept on the tablet; a refusal is for the adult, in #queue-status. */
  function showDoneStatus(done, text) {
    var status = document.getElementById("done-status");
    if (!status) { return; }
    status.textContent = done.waiting ? text("saved_offline") : done.sent ? text("all_sent") : "";
    status.classList.toggle("saved-offline", Boolean(done.waiting));
  }

  // ---- Start ----------------------------------------------------------------------------------------------

  function start() {
    var settings = readSettings();
    var text = textLookup(settings.strings);
    registerServiceWorker(settings, text);
    kiosk.queue.start(settings, text);
    var form = document.querySelector('form#questionnaire[data-mode="offline"]');
    var serverForm = document.querySelector('form#questionnaire[data-mode="server"]');
    var support = document.getElementById("support");
    var leave = function () { leaveForJoinPage(settings); };
    if (form) {
      setUpTake(settings, text, form);
    } else if (serverForm) {
      setUpServerForm(serverForm);
    } else if (support) {
      setUpDone(settings, text, support);
    } else {
      setUpAssent(settings);
    }
    if (form || settings.run) { watchIdle(settings, text, true, leave); }
    if (support) { watchIdle(settings, text, false, leave); } // the next child must not see the helplines
    confirmStartOver(text, leave);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
