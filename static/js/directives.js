// Directive task forms. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  function taskForm(form) {
    var period = form.querySelector("select[name=reporting_period]");
    var deadline = form.querySelector("[data-deadline-field]");
    if (!period || !deadline) return;
    function sync() {
      // A recurring task has a reporting period instead of a deadline.
      deadline.hidden = period.value !== "";
      if (period.value !== "") {
        var input = deadline.querySelector("input");
        if (input) input.value = "";
      }
    }
    period.addEventListener("change", sync);
    sync();
  }
  function reportForm(form) {
    var status = form.querySelector("select[name=status]");
    var percent = form.querySelector("input[name=percent_done]");
    if (!status || !percent) return;
    status.addEventListener("change", function () {
      // A report marked done is at 100 %.
      if (status.value === "done") percent.value = "100";
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-task-form]").forEach(taskForm);
    document.querySelectorAll("form[data-report-form]").forEach(reportForm);
  });
})();
