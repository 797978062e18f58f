// The condition language of instrument files (FORMAT.md, "Conditions"), judged on a plain answers object
// {item_id: value}: the same rules as the server, so the tablet asks exactly the questions the server expects.
// An XLSForm expression condition comes as {tree} (expressions.js judges it; calculated values are in `answers`).
// Shared by the kiosk scripts as window.SurveyKiosk.conditions.
(function () {
  "use strict";

  var COMPARISONS = {
    equals: function (value, operand) { return value === operand; },
    not_equals: function (value, operand) { return value !== operand; },
    "in": function (value, operand) { return operand.indexOf(value) >= 0; },
    contains: function (value, operand) { return Array.isArray(value) && value.indexOf(operand) >= 0; },
    gte: function (value, operand) { return value >= operand; },
    lte: function (value, operand) { return value <= operand; },
    gt: function (value, operand) { return value > operand; },
    lt: function (value, operand) { return value < operand; }
  };

  /** Whether `condition` holds for `answers`; an unanswered item makes every comparison false. */
  function holds(condition, answers) {
    if (condition.tree) { return window.SurveyKiosk.expressions.holds(condition.tree, { values: answers }); }
    if (condition.any) { return condition.any.some(function (part) { return holds(part, answers); }); }
    if (condition.all) { return condition.all.every(function (part) { return holds(part, answers); }); }
    if (condition.not) { return !holds(condition.not, answers); }
    var value = Object.prototype.hasOwnProperty.call(answers, condition.item) ? answers[condition.item] : undefined;
    if ("answered" in condition) { return (value !== undefined) === condition.answered; }
    if (value === undefined) { return false; }
    for (var operator in COMPARISONS) {
      if (operator in condition) { return COMPARISONS[operator](value, condition[operator]); }
    }
    return false;
  }

  var kiosk = window.SurveyKiosk = window.SurveyKiosk || {};
  kiosk.conditions = { holds: holds };
}());
