// The tablet's outbox: every finished questionnaire is written to IndexedDB (keyed by its client UUID) before
// the child moves on, then sent to the JSON intake whenever the network allows. An entry leaves the outbox only
// when the server has confirmed it (201 stored / 200 already_stored): the UUID makes resending harmless, so
// a reply lost on flaky Wi-Fi only costs one more try. Exposed as window.SurveyKiosk.queue, together with the
// small storage helpers run.js shares (window.SurveyKiosk.store).
(function () {
  "use strict";

  var DB_NAME = "surveyapp-kiosk";
  var DB_VERSION = 1;
  var STORE = "submissions";
  var LOCK_NAME = "surveyapp-kiosk-drain";
  var FIRST_RETRY_MS = 2000;
  var MAX_RETRY_MS = 60000;
  var HEARTBEAT_MS = 30000;
  var SEND_TIMEOUT_MS = 20000;
  var KEEPALIVE_MAX_BYTES = 60000; // browsers refuse keepalive bodies above 64 KiB
  var RETRYABLE_STATUSES = [408, 429];

  // ---- Storage helpers (sessionStorage dies with the tab, localStorage stays with the tablet) -------------

  function storageArea(area) {
    function backend() {
      try { return window[area]; } catch (error) { return null; } // blocked storage throws on access
    }
    return {
      get: function (key) {
        try { return JSON.parse(backend().getItem(key)); } catch (error) { return null; }
      },
      set: function (key, value) {
        try { backend().setItem(key, JSON.stringify(value)); return true; } catch (error) { return false; }
      },
      remove: function (key) {
        try { backend().removeItem(key); } catch (error) { /* nothing stored then */ }
      }
    };
  }

  var store = { session: storageArea("sessionStorage"), local: storageArea("localStorage") };
  var REPLIES_KEY = "surveyKiosk.replies"; // session: {uuid: {show_helplines}} of confirmed questionnaires
  var LAST_SENT_KEY = "surveyKiosk.lastSentAt"; // local: time of the last confirmed send (no child data)
  var DEVICE_KEY = "surveyKiosk.device"; // local: {id, token} of a tablet set up for a session

  // ---- IndexedDB ---------------------------------------------------------------------------------------

  var database = null;

  /** The outbox database, or null where IndexedDB is missing or blocked (private mode, old browser). */
  function openDatabase() {
    if (database) { return database; }
    database = new Promise(function (resolve) {
      var request;
      try { request = window.indexedDB.open(DB_NAME, DB_VERSION); } catch (error) { resolve(null); return; }
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "uuid" }); };
      request.onsuccess = function () {
        var db = request.result;
        db.onversionchange = function () { db.close(); database = null; }; // let a newer script upgrade
        resolve(db);
      };
      request.onerror = function () { resolve(null); };
    });
    return database;
  }

  /** Runs `work(objectStore)` in one transaction; resolves with its request's result once committed. */
  async function inStore(mode, work) {
    var db = await openDatabase();
    if (!db) { throw new Error("IndexedDB is not available"); }
    return new Promise(function (resolve, reject) {
      var transaction = db.transaction(STORE, mode);
      var request = work(transaction.objectStore(STORE));
      transaction.oncomplete = function () { resolve(request ? request.result : undefined); };
      transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
    });
  }

  async function allEntries() {
    try { return await inStore("readonly", function (s) { return s.getAll(); }); } catch (error) { return []; }
  }

  function putEntry(entry) { return inStore("readwrite", function (s) { return s.put(entry); }); }

  function deleteEntry(uuid) { return inStore("readwrite", function (s) { return s.delete(uuid); }); }

  // ---- Settings given by run.js ---------------------------------------------------------------------------

  var settings = { api: null, heartbeat: null, text: function (key) { return key; } };

  /** The tablet's token; with a join code, only when the tablet is set up for that very session (a child may
   *  have joined another session by its code once the tablet's own session closed). */
  function deviceToken(joinCode) {
    var device = store.local.get(DEVICE_KEY);
    if (!device || !device.token || (joinCode && device.join_code !== joinCode)) { return null; }
    return device.token;
  }

  /** The device/ready page hands the tablet its token; later pages of the set-up tablet carry only its id. */
  function rememberDevice(device) {
    if (device && device.token) {
      store.local.set(DEVICE_KEY, { id: device.id, token: device.token, join_code: device.join_code });
    }
  }

  // ---- Public: submit and send ---------------------------------------------------------------------------

  /**
   * Hands a finished questionnaire over for sending. Resolves "queued" once it is committed to the outbox (the
   * caller may then navigate away). Without an outbox (no IndexedDB) it is sent at once and the result of
   * that send is given: "stored", "refused" or "failed" (then nothing is kept: the caller must not move on).
   */
  async function submit(body) {
    var token = deviceToken(body.join_code);
    if (token) { body.device_token = token; }
    try {
      await putEntry({ uuid: body.uuid, body: body, state: "waiting", queued_at: Date.now(), error: null });
    } catch (error) {
      return (await send(body)).outcome;
    }
    drainNow();
    return "queued";
  }

  /**
   * Posts one body and says how it went: "stored" (confirmed), "refused" (the server said no; retrying would
   * not help) or "failed" (network, timeout, server error, or a reply that is not ours, e.g. a Wi-Fi login
   * page: try again later). `offline` tells the drain to stop trying the other entries this round.
   */
  async function send(body) {
    var json = JSON.stringify(body);
    var abort = new AbortController();
    var timer = setTimeout(function () { abort.abort(); }, SEND_TIMEOUT_MS);
    var response;
    try {
      response = await fetch(settings.api, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: json, signal: abort.signal,
        keepalive: json.length < KEEPALIVE_MAX_BYTES // lets the request finish when the page moves on
      });
    } catch (error) {
      return { outcome: "failed", offline: true };
    } finally {
      clearTimeout(timer);
    }
    var reply = await response.json().catch(function () { return null; });
    if (isConfirmation(response.status, reply)) {
      noteConfirmed(body.uuid, reply);
      return { outcome: "stored" };
    }
    if (isRefusal(response.status, reply)) { return { outcome: "refused", error: reply.error }; }
    return { outcome: "failed", offline: false };
  }

  function isConfirmation(status, reply) {
    return reply !== null && ((status === 201 && reply.status === "stored") ||
                              (status === 200 && reply.status === "already_stored"));
  }

  function isRefusal(status, reply) {
    return status >= 400 && status < 500 && RETRYABLE_STATUSES.indexOf(status) < 0 &&
      reply !== null && typeof reply.error === "string";
  }

  function noteConfirmed(uuid, reply) {
    var replies = store.session.get(REPLIES_KEY) || {};
    replies[uuid] = { show_helplines: reply.show_helplines === true };
    store.session.set(REPLIES_KEY, replies);
    store.local.set(LAST_SENT_KEY, Date.now());
  }

  /** The server's confirmation of a questionnaire seen by this tab: {show_helplines}, or null if none yet. */
  function confirmationOf(uuid) {
    var replies = store.session.get(REPLIES_KEY) || {};
    return replies[uuid] || null;
  }

  function forgetConfirmations(uuids) {
    var replies = store.session.get(REPLIES_KEY) || {};
    uuids.forEach(function (uuid) { delete replies[uuid]; });
    store.session.set(REPLIES_KEY, replies);
  }

  // ---- Draining -------------------------------------------------------------------------------------------

  var currentDrain = null;
  var drainRequested = false;
  var retry = { failures: 0, timer: null };

  /** Sends what waits; one drain at a time in this page, and across tabs through a Web Lock. */
  function drainNow() {
    if (currentDrain) {
      drainRequested = true; // an entry written during this drain is sent by the next one
      return currentDrain;
    }
    currentDrain = withDrainLock(drainOnce).finally(function () {
      currentDrain = null;
      if (drainRequested) { drainRequested = false; drainNow(); }
    });
    return currentDrain;
  }

  function withDrainLock(work) {
    if (navigator.locks && navigator.locks.request) { return navigator.locks.request(LOCK_NAME, work); }
    return work(); // no Web Locks (plain http): two tabs may both send, which the UUID makes harmless
  }

  async function drainOnce() {
    var failed = false;
    var entries = await allEntries();
    for (var i = 0; i < entries.length; i += 1) {
      if (entries[i].state !== "waiting") { continue; }
      var result = await send(entries[i].body);
      await settle(entries[i], result);
      if (result.outcome === "failed") {
        failed = true;
        if (result.offline) { break; } // the others would fail the same way
      }
    }
    if (failed) { scheduleRetry(); } else { retry.failures = 0; }
    await sendHeartbeat();
    await showStatus();
  }

  async function settle(entry, result) {
    try {
      if (result.outcome === "stored") { await deleteEntry(entry.uuid); }
      if (result.outcome === "refused") {
        await putEntry(Object.assign({}, entry, { state: "refused", error: result.error }));
      }
    } catch (error) {
      // The outbox could not be updated: the entry stays as it was and is sent again (harmless).
    }
  }

  /** Exponential back-off with jitter, so that thirty tablets do not all retry at the same second. */
  function retryDelay(failures) {
    var ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * Math.pow(2, failures - 1));
    return ceiling / 2 + Math.random() * ceiling / 2;
  }

  function scheduleRetry() {
    retry.failures += 1;
    clearTimeout(retry.timer);
    retry.timer = setTimeout(function () { retry.timer = null; drainNow(); }, retryDelay(retry.failures));
  }

  /** The network is back: try at once instead of waiting out the back-off. */
  function retryAtOnce() {
    clearTimeout(retry.timer);
    retry.timer = null;
    retry.failures = 0;
    drainNow();
  }

  /** Every ~30 s: drain unless a back-off is running (the drain sends the heartbeat), else only the heartbeat. */
  function tick() {
    if (retry.timer === null) { drainNow(); } else { sendHeartbeat(); }
  }

  // ---- Heartbeat and status -------------------------------------------------------------------------------

  async function countByState() {
    var counts = { waiting: 0, refused: 0 };
    (await allEntries()).forEach(function (entry) { counts[entry.state] += 1; });
    return counts;
  }

  /** Tells the trainer's session page that the tablet is alive and how many questionnaires wait on it. */
  async function sendHeartbeat() {
    var token = deviceToken();
    if (!token || !settings.heartbeat) { return; }
    var counts = await countByState();
    try {
      var response = await fetch(settings.heartbeat, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ device_token: token, waiting: counts.waiting })
      });
      // 403: the token is unknown or its session closed, so the tablet is no longer set up for it.
      if (response.status === 403) { store.local.remove(DEVICE_KEY); }
    } catch (error) {
      // Offline: the next heartbeat tells.
    }
  }

  function clockTime(timestamp) {
    var date = new Date(timestamp);
    return String(date.getHours()).padStart(2, "0") + ":" + String(date.getMinutes()).padStart(2, "0");
  }

  /** Counts and the time of the last confirmed send, for the adult: never an answer or a code. */
  async function showStatus() {
    var element = document.getElementById("queue-status");
    if (!element) { return; }
    var counts = await countByState();
    var lastSent = store.local.get(LAST_SENT_KEY);
    var parts = [];
    if (counts.waiting > 0) { parts.push(settings.text("waiting", { n: counts.waiting })); }
    if (counts.waiting === 0 && counts.refused === 0 && lastSent) { parts.push(settings.text("all_sent")); }
    if (lastSent) { parts.push(settings.text("last_sent", { time: clockTime(lastSent) })); }
    if (counts.refused > 0) { parts.push(settings.text("refused", { n: counts.refused })); }
    element.textContent = parts.join(" · ");
    element.classList.toggle("has-refused", counts.refused > 0);
  }

  // ---- Start ----------------------------------------------------------------------------------------------

  /** Called once per kiosk page by run.js with the page's data-kiosk settings and its text lookup. */
  function start(config, text) {
    settings.api = config.api;
    settings.heartbeat = config.heartbeat;
    settings.text = text;
    rememberDevice(config.device);
    window.addEventListener("online", retryAtOnce);
    setInterval(tick, HEARTBEAT_MS);
    return drainNow(); // whatever a closed tab or a restarted tablet left behind
  }

  var kiosk = window.SurveyKiosk = window.SurveyKiosk || {};
  kiosk.store = store;
  kiosk.queue = {
    start: start,
    submit: submit,
    available: function () { return openDatabase().then(function (db) { return db !== null; }); },
    drain: drainNow,
    entries: allEntries,
    confirmationOf: confirmationOf,
    forgetConfirmations: forgetConfirmations
  };
}());
