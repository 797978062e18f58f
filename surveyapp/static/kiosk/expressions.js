// The XLSForm expressions of instrument files (FORMAT.md, "Expressions"), evaluated on the tablet from the tree the
// server parsed them into: the same XPath 1.0 rules as ODK Collect and Enketo, and as the server
// (definitions/expressions.py), so that the tablet asks, filters and checks exactly as the server validates.
// Shared by the kiosk scripts as window.SurveyKiosk.expressions; node loads it as a module for the parity test.
(function (root) {
  "use strict";

  var XPATH_NUMBER = /^\s*-?(\d+(\.\d*)?|\.\d+)\s*$/;
  var DATE = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/;
  var DAY_MS = 24 * 60 * 60 * 1000;

  // ---- XPath values: a number, a string or a boolean ---------------------------------------------------------

  /** An answer as an expression sees it: unanswered is "", a multi answer its values joined by one space. */
  function answerValue(answer) {
    if (answer === undefined || answer === null) { return ""; }
    if (Array.isArray(answer)) { return answer.map(asString).join(" "); }
    return answer;
  }

  function asBoolean(value) {
    if (typeof value === "boolean") { return value; }
    if (typeof value === "number") { return value !== 0 && !isNaN(value); }
    return value !== "";
  }

  /**
   * XPath's number(): only plain decimals are numbers ("1e3", "+1", "" are NaN); a "YYYY-MM-DD" date is its days
   * since 1970-01-01, as ODK compares and subtracts dates (NaN when it is no calendar date).
   */
  function asNumber(value) {
    if (typeof value === "number") { return value; }
    if (typeof value === "boolean") { return value ? 1 : 0; }
    if (DATE.test(value)) { return daysSinceEpoch(value); }
    return XPATH_NUMBER.test(value) ? parseFloat(value) : NaN;
  }

  function daysSinceEpoch(text) {
    var parts = DATE.exec(text).slice(1).map(Number);
    var date = new Date(0);
    date.setUTCFullYear(parts[0], parts[1] - 1, parts[2]); // Date.UTC would take years 0-99 as 1900-1999
    var isCalendarDate = parts[0] >= 1 && date.getUTCFullYear() === parts[0] && date.getUTCMonth() === parts[1] - 1 &&
      date.getUTCDate() === parts[2];
    return isCalendarDate ? date.getTime() / DAY_MS : NaN;
  }

  /** XPath's string(): a whole number has no ".0", minus zero is "0", and no number has an exponent. */
  function asString(value) {
    if (typeof value === "string") { return value; }
    if (typeof value === "boolean") { return value ? "true" : "false"; }
    return withoutExponent(String(value));
  }

  /** "1e-5" -> "0.00001", "1.5e+21" -> "1500000000000000000000": the shortest digits, written out. */
  function withoutExponent(text) {
    var match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
    if (!match) { return text; }
    var digits = match[2] + (match[3] || "");
    var point = 1 + Number(match[4]); // where the decimal point goes in `digits`
    if (point <= 0) { return match[1] + "0." + "0".repeat(-point) + digits; }
    return match[1] + digits + "0".repeat(Math.max(point - digits.length, 0));
  }

  /** Characters as Python counts them (code points), so lengths and substrings agree with the server. */
  function characters(text) { return Array.from(text); }

  // ---- Operators ---------------------------------------------------------------------------------------------

  function equal(left, right) {
    if (typeof left === "boolean" || typeof right === "boolean") { return asBoolean(left) === asBoolean(right); }
    if (typeof left === "number" || typeof right === "number") { return asNumber(left) === asNumber(right); }
    return left === right;
  }

  var BINARY = {
    "=": equal,
    "!=": function (left, right) { return !equal(left, right); },
    "<": function (left, right) { return asNumber(left) < asNumber(right); },
    "<=": function (left, right) { return asNumber(left) <= asNumber(right); },
    ">": function (left, right) { return asNumber(left) > asNumber(right); },
    ">=": function (left, right) { return asNumber(left) >= asNumber(right); },
    "+": function (left, right) { return asNumber(left) + asNumber(right); },
    "-": function (left, right) { return asNumber(left) - asNumber(right); },
    "*": function (left, right) { return asNumber(left) * asNumber(right); },
    "div": function (left, right) { return asNumber(left) / asNumber(right); },
    "mod": function (left, right) { return asNumber(left) % asNumber(right); } // truncated, as XPath's mod
  };

  function operation(tree, context) {
    var args = tree.args;
    if (tree.op === "neg") { return -asNumber(evaluate(args[0], context)); }
    if (tree.op === "or") { return asBoolean(evaluate(args[0], context)) || asBoolean(evaluate(args[1], context)); }
    if (tree.op === "and") { return asBoolean(evaluate(args[0], context)) && asBoolean(evaluate(args[1], context)); }
    return BINARY[tree.op](evaluate(args[0], context), evaluate(args[1], context));
  }

  // ---- Functions ---------------------------------------------------------------------------------------------

  /** The space-separated values of a multi answer (ODK's selected(), count-selected(), selected-at()). */
  function choices(value) {
    var text = asString(value).trim();
    return text === "" ? [] : text.split(/\s+/);
  }

  function today() {
    var now = new Date();
    var pad = function (number) { return (number < 10 ? "0" : "") + number; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  /** XPath's round(): halves go up (towards positive infinity); `digits` whole places after the point (ODK). */
  function round(number, digits) {
    if (!isFinite(number) || !isFinite(digits) || Math.abs(digits) > 300) { return isFinite(digits) ? number : NaN; }
    var factor = Math.pow(10, Math.trunc(digits));
    return Math.floor(number * factor + 0.5) / factor;
  }

  /** A position in a text of `length` characters: whole, within 0..length (NaN is 0), never from the end. */
  function position(number, length) {
    if (isNaN(number)) { return 0; }
    return Math.max(0, Math.min(length, Math.trunc(number)));
  }

  /** ODK's regex(): true when the pattern matches anywhere; a pattern that cannot be compiled matches nothing. */
  function matches(text, pattern) {
    try {
      return new RegExp(pattern).test(text);
    } catch (error) {
      return false;
    }
  }

  // Functions whose arguments are all evaluated first; `if` is lazy and handled in call().
  var FUNCTIONS = {
    "selected": function (values, value) { return choices(values).indexOf(asString(value).trim()) >= 0; },
    "count-selected": function (values) { return choices(values).length; },
    "selected-at": function (values, index) { return choices(values)[Math.trunc(asNumber(index))] || ""; },
    "string-length": function (text) { return characters(asString(text)).length; },
    "concat": function () { return Array.prototype.map.call(arguments, asString).join(""); },
    "coalesce": function (first, second) { return asString(first) !== "" ? first : second; },
    "not": function (value) { return !asBoolean(value); },
    "true": function () { return true; },
    "false": function () { return false; },
    "number": asNumber,
    "int": function (value) { return Math.trunc(asNumber(value)); },
    "round": function (value, digits) { return round(asNumber(value), digits === undefined ? 0 : asNumber(digits)); },
    "string": asString,
    "boolean-from-string": function (text) { var s = asString(text); return s === "true" || s === "1"; },
    "regex": function (text, pattern) { return matches(asString(text), asString(pattern)); },
    "contains": function (text, part) { return asString(text).indexOf(asString(part)) >= 0; },
    "starts-with": function (text, start) { return asString(text).startsWith(asString(start)); },
    "ends-with": function (text, end) { return asString(text).endsWith(asString(end)); },
    "substr": function (text, start, end) {
      var chars = characters(asString(text));
      var last = end === undefined ? chars.length : position(asNumber(end), chars.length);
      return chars.slice(position(asNumber(start), chars.length), last).join("");
    },
    "today": today
  };

  function call(tree, context) {
    if (tree.fn === "if") {
      var branch = asBoolean(evaluate(tree.args[0], context)) ? tree.args[1] : tree.args[2];
      return evaluate(branch, context);
    }
    var args = tree.args.map(function (arg) { return evaluate(arg, context); });
    return FUNCTIONS[tree.fn].apply(null, args);
  }

  // ---- Evaluation --------------------------------------------------------------------------------------------

  /**
   * The value of an expression tree (FORMAT.md, "Expressions") in `context`: `values` {item_id: answer or
   * calculated value}, `self` (the answer `.` stands for, in a constraint) and `columns` (an option's filter
   * columns and its `name`, in a choice_filter).
   */
  function evaluate(tree, context) {
    if ("num" in tree) { return tree.num; }
    if ("str" in tree) { return tree.str; }
    if ("ref" in tree) { return answerValue(context.values[tree.ref]); }
    if ("self" in tree) { return answerValue(context.self); }
    if ("col" in tree) { return answerValue((context.columns || {})[tree.col]); }
    if ("op" in tree) { return operation(tree, context); }
    return call(tree, context);
  }

  function holds(tree, context) { return asBoolean(evaluate(tree, context)); }

  /**
   * The calculate items' values, in item order (a calculate may use earlier ones), added to a copy of `answers`.
   * `calculates` is [{id, calculation: tree}].
   */
  function withCalculatedValues(calculates, answers) {
    var values = Object.assign({}, answers);
    calculates.forEach(function (calculate) {
      values[calculate.id] = asString(evaluate(calculate.calculation, { values: values }));
    });
    return values;
  }

  /** A text with every ${item_id} replaced by that item's value as text (unanswered: empty). */
  function fillText(text, values) {
    return text.replace(/\$\{([^}]*)\}/g, function (whole, id) { return asString(answerValue(values[id.trim()])); });
  }

  var api = {
    evaluate: evaluate, holds: holds, asString: asString, withCalculatedValues: withCalculatedValues,
    fillText: fillText
  };
  if (typeof module === "object" && module.exports) { module.exports = api; }
  if (root.window === root) {
    var kiosk = root.SurveyKiosk = root.SurveyKiosk || {};
    kiosk.expressions = api;
  }
}(typeof window !== "undefined" ? window : globalThis));
