// Shows a question only while its `relevant` condition (FORMAT.md) holds; hidden questions send nothing.
// The server applies the same rule, so a tablet without scripts still stores correct answers.
(function () {
  "use strict";
  var form = document.getElementById("questionnaire");
  if (!form) { return; }

  function answerOf(itemId) {
    var inputs = form.querySelectorAll('[name="' + itemId + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if (input.disabled) { return; }
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { return; }
      if (input.value !== "") { values.push(Number(input.value)); }
    });
    if (values.length === 0) { return undefined; }
    return inputs[0].type === "checkbox" ? values : values[0];
  }

  function holds(cond) {
    if (cond.any) { return cond.any.some(holds); }
    if (cond.all) { return cond.all.every(holds); }
    if (cond.not) { return !holds(cond.not); }
    var value = answerOf(cond.item);
    if ("answered" in cond) { return (value !== undefined) === cond.answered; }
    if (value === undefined) { return false; }
    if ("equals" in cond) { return value === cond.equals; }
    if ("not_equals" in cond) { return value !== cond.not_equals; }
    if ("in" in cond) { return cond["in"].indexOf(value) >= 0; }
    if ("contains" in cond) { return Array.isArray(value) && value.indexOf(cond.contains) >= 0; }
    if ("gte" in cond) { return value >= cond.gte; }
    if ("lte" in cond) { return value <= cond.lte; }
    if ("gt" in cond) { return value > cond.gt; }
    if ("lt" in cond) { return value < cond.lt; }
    return false;
  }

  function update() {
    form.querySelectorAll("[data-relevant]").forEach(function (question) {
      var shown = holds(JSON.parse(question.dataset.relevant));
      question.hidden = !shown;
      question.querySelectorAll("input, textarea").forEach(function (input) { input.disabled = !shown; });
    });
  }

  form.addEventListener("change", update);
  update();
}());
