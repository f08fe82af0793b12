// Skip logic and constraints on a part of the self-assessment (surveys/skip_logic.py): a question
// is shown only while its condition on earlier answers holds (hidden, its fields are switched off
// so they are neither sent nor required), and an answer that breaks its constraint gets the
// question's message at once. The server renders the conditions as trees (surveys/expressions.py,
// tree_json) with the answers of the other parts; this file evaluates them with the same rules
// (XPath comparisons: a number against an empty answer is false, "!=" true). The server checks
// everything again on saving: this only spares the member a round trip.
(function () {
  "use strict";
  var source = document.getElementById("skip-logic");
  // The cooperative's form and the national team's preview of a version both carry
  // data-skip-logic-form; a page kept offline by an older worker may only have data-offline-form.
  var form = document.querySelector("form[data-skip-logic-form]") || document.querySelector("form[data-offline-form]");
  if (!source || !form) return;
  var logic = JSON.parse(source.textContent);
  var device = {}; // answers of other parts kept on the device by the offline form
  var onPage = logic.order.filter(function (code) { return code in logic.kinds; });

  function inputs(code) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.name === code; });
  }
  function wrapper(code) {
    var first = inputs(code)[0];
    return document.getElementById("div_id_" + code) || (first && first.closest(".mb-3"));
  }
  function numberOf(text) {
    var plain = String(text).trim().replace(",", ".");
    return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(plain) ? Number(plain) : plain;
  }
  function fieldValue(code) {
    var els = inputs(code);
    var kind = logic.kinds[code];
    if (kind === "single" || kind === "yes_no" || kind === "multiple") {
      return els.filter(function (el) { return el.checked; }).map(function (el) { return el.value; }).join(" ");
    }
    var text = els.length ? els[0].value : "";
    if (String(text).trim() === "") return "";
    return kind === "number" ? numberOf(text) : text;
  }
  function deviceValue(entry) {
    if (!entry) return undefined;
    var value = entry.value;
    if (entry.kind === "multiple") return [].concat(value || []).join(" ");
    if (value === null || value === undefined || String(value).trim() === "") return "";
    return entry.kind === "number" ? numberOf(value) : value;
  }

  // --- The evaluator: the same rules as surveys/expressions.py --------------------------------
  function number(value) {
    if (typeof value === "boolean") return value ? 1 : 0;
    if (typeof value === "number") return isFinite(value) ? value : null;
    var read = numberOf(value);
    return typeof read === "number" ? read : null;
  }
  function truth(value) {
    if (typeof value === "boolean") return value;
    if (typeof value === "number") return value !== 0;
    return value !== "";
  }
  var ORDER = {
    "=": function (a, b) { return a === b; },
    "!=": function (a, b) { return a !== b; },
    "<": function (a, b) { return a < b; },
    "<=": function (a, b) { return a <= b; },
    ">": function (a, b) { return a > b; },
    ">=": function (a, b) { return a >= b; }
  };
  function compare(operator, left, right) {
    if (typeof left === "boolean" || typeof right === "boolean") {
      return ORDER[operator](Number(truth(left)), Number(truth(right)));
    }
    var a, b;
    if (typeof left === "number" || typeof right === "number") {
      a = number(left); b = number(right);
      if (a === null || b === null) return operator === "!=";
      return ORDER[operator](a, b);
    }
    if (operator === "=" || operator === "!=") return ORDER[operator](String(left), String(right));
    a = number(left); b = number(right);
    return a === null || b === null ? false : ORDER[operator](a, b);
  }
  function evaluate(node, values) {
    var kind = node[0];
    if (kind === "literal") return node[1];
    if (kind === "ref") {
      var value = values[node[1]];
      return value === undefined || value === null ? "" : value;
    }
    if (kind === "call") {
      var name = node[1], args = node[2];
      if (name === "selected") return String(evaluate(args[0], values)).split(/\s+/).indexOf(args[1][1]) !== -1;
      if (name === "count-selected") {
        var chosen = String(evaluate(args[0], values)).trim();
        return chosen ? chosen.split(/\s+/).length : 0;
      }
      if (name === "not") return !truth(evaluate(args[0], values));
      if (name === "string-length") return String(evaluate(args[0], values)).length;
      return name === "true";
    }
    var operator = node[1];
    if (operator === "and") return truth(evaluate(node[2], values)) && truth(evaluate(node[3], values));
    if (operator === "or") return truth(evaluate(node[2], values)) || truth(evaluate(node[3], values));
    var a = evaluate(node[2], values), b = evaluate(node[3], values);
    if (operator === "+" || operator === "-") {
      var x = number(a), y = number(b);
      if (x === null || y === null) return "";
      return operator === "+" ? x + y : x - y;
    }
    return compare(operator, a, b);
  }

  // --- Showing, hiding and the constraints' messages -------------------------------------------
  function message(code, text) {
    var box = wrapper(code);
    if (!box) return;
    var note = box.querySelector("[data-constraint-message]");
    if (!text) {
      if (note) note.remove();
      inputs(code).forEach(function (el) { el.removeAttribute("aria-invalid"); });
      return;
    }
    if (!note) {
      note = document.createElement("div");
      note.className = "text-danger small mt-1";
      note.setAttribute("data-constraint-message", "");
      note.setAttribute("role", "alert");
      box.appendChild(note);
    }
    note.textContent = text;
    inputs(code).forEach(function (el) { el.setAttribute("aria-invalid", "true"); });
  }
  function apply() {
    var values = {};
    Object.keys(logic.others).forEach(function (code) { values[code] = logic.others[code]; });
    Object.keys(device).forEach(function (code) { values[code] = device[code]; });
    onPage.forEach(function (code) {
      var tree = logic.relevant[code];
      var shown = !tree || truth(evaluate(tree, values));
      var box = wrapper(code);
      if (box) {
        box.hidden = !shown;
        box.setAttribute("data-skip-hidden", shown ? "false" : "true");
      }
      inputs(code).forEach(function (el) { el.disabled = !shown; });
      values[code] = shown ? fieldValue(code) : "";
    });
    onPage.forEach(function (code) {
      var tree = logic.constraint[code];
      if (!tree) return;
      var broken = values[code] !== "" && !truth(evaluate(tree, values));
      message(code, broken ? logic.messages[code] : "");
    });
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  apply();
  // The offline form tells which answers of other parts wait on the device (entries of its draft).
  window.CoopDXSkipLogic = {
    setDeviceAnswers: function (entries) {
      device = {};
      Object.keys(entries || {}).forEach(function (code) {
        if (!(code in logic.kinds)) device[code] = deviceValue(entries[code]);
      });
      apply();
    },
    refresh: apply
  };
})();
