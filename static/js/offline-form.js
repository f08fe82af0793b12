// The self-assessment offline: every change on a part of the form is kept on the device
// (IndexedDB, per user and response, with the revision the page was rendered at); without a
// connection "Save and continue" moves on to the next part from the service worker's cache;
// when the connection returns the waiting answers are sent through the API with that revision.
// A refusal for a stale revision (409) is resolved question by question: an answer the server
// has not changed since is sent, one it has changed is shown in the conflict box until the
// member chooses. Nothing is dropped before the server has it or the member chose the server's.
// Without JavaScript the page is the plain server-rendered form.
(function () {
  "use strict";
  var config = document.getElementById("offline-form");
  if (!config || !window.indexedDB || !window.fetch) return;
  var d = config.dataset;
  var draftId = d.user + ":" + d.response;
  var form = document.querySelector("form[data-offline-form]");
  var statusBox = document.getElementById("offline-status");
  var conflictBox = document.getElementById("offline-conflicts");
  var pages = d.pages.split(" ");
  var syncing = false;
  var pageStale = false; // the page shows answers older than the server's
  var unreachable = false; // the last request failed for want of a network
  var note = "";

  // --- The device's store ------------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("coopdx-offline", 1);
      request.onupgradeneeded = function () { request.result.createObjectStore("drafts", { keyPath: "id" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function withStore(mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction("drafts", mode);
        var result = action(tx.objectStore("drafts"));
        tx.oncomplete = function () { resolve(result && result.result); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }
  function load() {
    return withStore("readonly", function (store) { return store.get(draftId); }).then(function (draft) {
      return draft || { id: draftId, revision: Number(d.revision), answers: {}, savedAt: null, sentAt: null };
    });
  }
  function store(draft) {
    return withStore("readwrite", function (s) { return s.put(draft); }).then(function () { return draft; });
  }
  // One change at a time, so that a change typed while answers are being sent is never lost.
  var queue = Promise.resolve();
  function update(change) {
    queue = queue.then(load).then(function (draft) {
      return Promise.resolve(change(draft)).then(function () { return store(draft); });
    }).then(render, render);
    return queue;
  }

  // --- Reading and writing the form's fields ------------------------------------------------
  function fields() {
    if (!form) return {};
    var found = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.name === "revision" || el.name === "go") return;
      var kind = el.type === "radio" ? "single" : el.type === "checkbox" ? "multiple" : el.type === "number" ? "number" : "text";
      var field = found[el.name] || (found[el.name] = { kind: kind, inputs: [] });
      field.inputs.push(el);
    });
    return found;
  }
  function labelOf(el) {
    var label = el.id && form.querySelector("label[for='" + el.id + "']");
    return label ? label.textContent.trim() : el.value;
  }
  function questionText(code, field) {
    var wrapper = document.getElementById("div_id_" + code) || field.inputs[0].closest(".mb-3");
    var title = wrapper && wrapper.querySelector("legend, label");
    return title ? title.textContent.replace(/\*\s*$/, "").trim() : code;
  }
  function read(field) {
    if (field.kind === "single") {
      var chosen = field.inputs.filter(function (el) { return el.checked; })[0];
      return chosen ? chosen.value : "";
    }
    if (field.kind === "multiple") {
      return field.inputs.filter(function (el) { return el.checked; }).map(function (el) { return el.value; }).sort();
    }
    return field.inputs[0].value;
  }
  function write(field, value) {
    if (field.kind === "single" || field.kind === "multiple") {
      var values = [].concat(value);
      field.inputs.forEach(function (el) { el.checked = values.indexOf(el.value) !== -1; });
    } else {
      field.inputs[0].value = value;
    }
  }
  function normal(kind, value) {
    if (kind === "multiple") return [].concat(value || []).slice().sort().join("\u0001");
    if (value === null || value === undefined) return "";
    if (kind === "number" && String(value).trim() !== "" && !isNaN(Number(value))) return String(Number(value));
    return String(value).trim();
  }
  function serverValue(kind, answer) {
    if (!answer) return kind === "multiple" ? [] : "";
    if (kind === "single") return answer.options[0] || "";
    if (kind === "multiple") return answer.options.slice().sort();
    if (kind === "number") return answer.number === null ? "" : String(Number(answer.number));
    return answer.text || "";
  }
  function same(kind, a, b) { return normal(kind, a) === normal(kind, b); }
  function words(entry, value) {
    if (normal(entry.kind, value) === "") return d.tNotAnswered;
    if (entry.kind === "single" || entry.kind === "multiple") {
      return [].concat(value).map(function (code) { return (entry.labels || {})[code] || code; }).join("; ");
    }
    return String(value);
  }

  var current = fields();
  var base = {};
  // A page shown again with errors holds what was typed, not the server's answers: no base then.
  var refusedPage = !!(form && form.querySelector(".is-invalid"));
  Object.keys(current).forEach(function (code) { base[code] = read(current[code]); });
  // The answers of this page posted to the server as always, online (see the form's submit): the
  // server has them (saved, or shown again with its errors) unless the service worker brought
  // the page back from the device for want of a network (it adds ?kept).
  var postedKey = "coopdx-posted:" + draftId;
  var posted = null;
  try {
    posted = JSON.parse(sessionStorage.getItem(postedKey) || "null");
    sessionStorage.removeItem(postedKey);
  } catch (error) { posted = null; }
  if (/[?&]kept\b/.test(window.location.search)) posted = null;

  function record(code) {
    var field = current[code];
    var value = read(field);
    var at = Date.now(); // when typed, not when stored: a post that follows has it
    var labels = {};
    field.inputs.forEach(function (el) { if (el.type === "radio" || el.type === "checkbox") labels[el.value] = labelOf(el); });
    return update(function (draft) {
      var entry = draft.answers[code];
      if (!entry && same(field.kind, value, base[code])) return;
      if (!Object.keys(draft.answers).length) draft.revision = Number(d.revision);
      entry = entry || { base: base[code], baseUnknown: refusedPage, kind: field.kind, page: Number(form.dataset.page) };
      entry.value = value;
      entry.labels = labels;
      entry.question = questionText(code, field);
      entry.at = at;
      delete entry.refused;
      if (same(field.kind, value, entry.base) && !entry.conflict) delete draft.answers[code];
      else draft.answers[code] = entry;
      draft.savedAt = Date.now();
    });
  }

  // --- Progress of this part and of the whole questionnaire -----------------------------------
  function answeredHere() {
    return Object.keys(current).filter(function (code) { return normal(current[code].kind, read(current[code])) !== ""; }).length;
  }
  // Answers kept on the device for other parts count in the whole: the page shows the server's.
  var elsewhere = 0;
  var elsewhereShown = 0;
  var elsewhereSent = 0; // sent since this page was rendered: not in its figures either
  function answeredDelta(entry) {
    return (normal(entry.kind, entry.value) !== "" ? 1 : 0) - (normal(entry.kind, entry.base) !== "" ? 1 : 0);
  }
  function countElsewhere(draft) {
    elsewhere = elsewhereSent;
    Object.keys(draft.answers).forEach(function (code) {
      if (!current[code]) elsewhere += answeredDelta(draft.answers[code]);
    });
  }
  function progress() {
    var part = document.querySelector("[data-progress-part]");
    var all = document.querySelector("[data-progress-all]");
    if (!part || !all) return;
    var now = answeredHere();
    var overall = Number(all.getAttribute("aria-valuenow")) - (Number(part.getAttribute("aria-valuenow")) - now) + (elsewhere - elsewhereShown);
    elsewhereShown = elsewhere;
    [[part, now, "[data-progress-part-answered]"], [all, overall, "[data-progress-all-answered]"]].forEach(function (bar) {
      var max = Number(bar[0].getAttribute("aria-valuemax")) || 1;
      bar[0].setAttribute("aria-valuenow", String(bar[1]));
      bar[0].firstElementChild.style.width = Math.round((100 * bar[1]) / max) + "%";
      document.querySelector(bar[2]).textContent = String(bar[1]);
    });
  }

  // --- What the page says -------------------------------------------------------------------
  function time(stamp) {
    return new Date(stamp).toLocaleTimeString(document.documentElement.lang || undefined, { hour: "2-digit", minute: "2-digit" });
  }
  function render() {
    return load().then(function (draft) {
      var codes = Object.keys(draft.answers);
      var online = navigator.onLine && !unreachable;
      statusBox.classList.remove("d-none");
      statusBox.classList.toggle("alert-warning", !online);
      statusBox.classList.toggle("alert-secondary", online);
      statusBox.querySelector("[data-offline-state]").textContent = online ? d.tOnline : d.tOffline;
      var waiting = codes.length === 0 ? d.tNoneWaiting : codes.length === 1 ? d.tWaitingOne : d.tWaitingMany.replace("{count}", String(codes.length));
      statusBox.querySelector("[data-offline-waiting]").textContent = syncing ? d.tSending : waiting;
      var times = [];
      if (draft.savedAt && codes.length) times.push(d.tSaved.replace("{time}", time(draft.savedAt)));
      if (draft.sentAt) times.push(d.tSent.replace("{time}", time(draft.sentAt)));
      statusBox.querySelector("[data-offline-times]").textContent = times.length ? " · " + times.join(" · ") : "";
      var refused = codes.filter(function (code) { return draft.answers[code].refused; });
      var lines = [note];
      if (refused.length) {
        lines.push(d.tRefused + " " + refused.map(function (code) {
          return draft.answers[code].question + " (" + draft.answers[code].refused + ")";
        }).join("; "));
      }
      if (!form && codes.length) lines.push(d.tReviewWaiting);
      statusBox.querySelector("[data-offline-note]").textContent = lines.filter(Boolean).join(" ");
      if (!form) {
        document.querySelectorAll("main form[method=post] button[type=submit]").forEach(function (button) {
          button.disabled = codes.length > 0;
        });
      }
      conflicts(draft);
      countElsewhere(draft);
      progress();
      return draft;
    });
  }
  function conflicts(draft) {
    var codes = Object.keys(draft.answers).filter(function (code) { return draft.answers[code].conflict; });
    conflictBox.classList.toggle("d-none", codes.length === 0);
    var rows = conflictBox.querySelector("[data-conflict-rows]");
    if (rows.dataset.shown === codes.join(" ")) return;
    rows.dataset.shown = codes.join(" ");
    rows.textContent = "";
    var template = conflictBox.querySelector("template[data-conflict-row]");
    codes.forEach(function (code, n) {
      var entry = draft.answers[code];
      var row = template.content.firstElementChild.cloneNode(true);
      row.dataset.code = code;
      row.querySelector("[data-conflict-question]").textContent = entry.question;
      row.querySelector("[data-conflict-mine-value]").textContent = words(entry, entry.value);
      row.querySelector("[data-conflict-theirs-value]").textContent = words(entry, entry.conflict.server);
      row.querySelectorAll("input").forEach(function (input, i) {
        input.name = "conflict-" + n;
        input.id = "conflict-" + n + "-" + i;
        input.nextElementSibling.setAttribute("for", input.id);
      });
      rows.appendChild(row);
    });
  }

  // --- Sending ------------------------------------------------------------------------------
  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function api(method, body) {
    return fetch(d.api, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
      body: body ? JSON.stringify(body) : undefined,
    });
  }
  function payload(entry) {
    if (entry.kind === "single") return entry.value || null;
    return entry.value;
  }
  function sendable(draft) {
    return Object.keys(draft.answers).filter(function (code) {
      return !draft.answers[code].conflict && !draft.answers[code].refused;
    });
  }
  // The server's answers against the device's: the same → sent already; the server's unchanged
  // since the device's copy was read → the device's is sent; else a conflict to choose.
  function reconcile() {
    return api("GET").then(function (reply) {
      if (reply.status === 401 || reply.status === 403) note = d.tSignedOut;
      if (!reply.ok) throw reply;
      return reply.json();
    }).then(function (server) {
      // A provincial round's add-on answers come apart from the national ones (never scored):
      // the device keeps both by code, as the form names them.
      var answered = Object.assign({}, server.answers, server.provincial_answers || {});
      return update(function (draft) {
        Object.keys(draft.answers).forEach(function (code) {
          var entry = draft.answers[code];
          var theirs = serverValue(entry.kind, answered[code]);
          if (same(entry.kind, theirs, entry.value)) delete draft.answers[code];
          else if (!entry.baseUnknown && !same(entry.kind, theirs, entry.base)) entry.conflict = { server: theirs };
        });
        draft.revision = server.revision;
        // A page from the device's cache may be older than the server: its other answers too.
        pageStale = Object.keys(current).some(function (code) {
          return !draft.answers[code] && !same(current[code].kind, serverValue(current[code].kind, answered[code]), base[code]);
        });
      });
    });
  }
  // The server's answers are read first, so that what changed there meanwhile is seen before
  // anything is sent; the revision then sent is the one just read (a change in between is a 409).
  function send(attempt) {
    var started = Date.now();
    return load().then(function (draft) {
      return sendable(draft).length ? reconcile().then(load) : null;
    }).then(function (draft) {
      var codes = draft ? sendable(draft) : [];
      if (!codes.length) return null;
      var answers = {};
      codes.forEach(function (code) { answers[code] = payload(draft.answers[code]); });
      return api("PATCH", { revision: draft.revision, answers: answers }).then(function (reply) {
        if (reply.ok) {
          return reply.json().then(function (saved) {
            keepPages();
            // Never let the page's older answers go back at the new revision: show the server's.
            if (!pageStale) setRevision(saved.revision);
            return update(function (fresh) {
              codes.forEach(function (code) {
                var entry = fresh.answers[code];
                if (!entry || entry.at > started) return;
                if (!current[code]) elsewhereSent += answeredDelta(entry);
                delete fresh.answers[code];
              });
              fresh.revision = saved.revision;
              fresh.sentAt = Date.now();
            }).then(function () {
              if (pageStale && form) window.location.reload();
              return "sent";
            });
          });
        }
        if (reply.status === 409 && attempt < 3) return send(attempt + 1);
        if (reply.status === 400 && attempt < 3) {
          return reply.json().then(function (body) {
            var errors = (body.error && body.error.fields) || {};
            return update(function (fresh) {
              Object.keys(errors).forEach(function (key) {
                var code = key.replace(/^answers\./, "");
                if (fresh.answers[code]) fresh.answers[code].refused = [].concat(errors[key]).join(" ");
              });
            }).then(function () { return send(attempt + 1); });
          });
        }
        if (reply.status === 401 || reply.status === 403) note = d.tSignedOut;
        return null;
      });
    });
  }
  function setRevision(revision) {
    d.revision = String(revision);
    var input = form && form.querySelector("input[name=revision]");
    if (input) input.value = String(revision);
  }
  function sync() {
    if (syncing || !navigator.onLine) return render();
    syncing = true;
    note = "";
    return render().then(function () { return send(0); }).then(function (result) {
      unreachable = false;
      return result;
    }, function (error) {
      unreachable = error instanceof TypeError; // fetch's network failure
      return null;
    }).then(function (result) {
      syncing = false;
      return render().then(function (draft) {
        // The review page lists the server's answers: show them once the device's are there.
        if (!form && result === "sent" && !Object.keys(draft.answers).length) window.location.reload();
      });
    });
  }

  // --- The conflict box's choices ---------------------------------------------------------------
  function resolve(choices) {
    return update(function (draft) {
      Object.keys(choices).forEach(function (code) {
        var entry = draft.answers[code];
        if (!entry || !entry.conflict) return;
        if (choices[code] === "theirs") {
          delete draft.answers[code];
        } else {
          entry.base = entry.conflict.server;  // chosen knowing the server's answer
          entry.baseUnknown = false;
          delete entry.conflict;
        }
      });
    }).then(sync).then(function () { window.location.reload(); });
  }
  conflictBox.querySelector("[data-conflict-apply]").addEventListener("click", function () {
    var choices = {};
    conflictBox.querySelectorAll("[data-conflict-rows] fieldset").forEach(function (row) {
      choices[row.dataset.code] = row.querySelector("input[value=theirs]").checked ? "theirs" : "mine";
    });
    resolve(choices);
  });
  conflictBox.querySelector("[data-conflict-theirs]").addEventListener("click", function () {
    var choices = {};
    conflictBox.querySelectorAll("[data-conflict-rows] fieldset").forEach(function (row) { choices[row.dataset.code] = "theirs"; });
    resolve(choices);
  });

  // --- The form -----------------------------------------------------------------------------
  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target.name && current[event.target.name]) record(event.target.name);
      progress();
    });
    form.addEventListener("input", function (event) {
      if (event.target.name && current[event.target.name] && current[event.target.name].kind !== "single") record(event.target.name);
      progress();
    });
    form.addEventListener("submit", function (event) {
      if (navigator.onLine && !unreachable) {
        // The server saves the page as always; the next page drops these from the device.
        try {
          sessionStorage.setItem(postedKey, JSON.stringify({ codes: Object.keys(current), at: Date.now() }));
        } catch (error) { /* without session storage the answers are checked against the server's */ }
        return;
      }
      event.preventDefault();
      var go = event.submitter ? event.submitter.value : "next";
      var page = Number(form.dataset.page);
      Promise.all(Object.keys(current).map(record)).then(function () {
        if (go === "previous" && page > 1) window.location.href = pages[page - 2];
        else if (go === "next" && page < pages.length) window.location.href = pages[page];
        else if (go === "submit") window.location.href = d.submitUrl;
        else { note = d.tKept; render(); }
      });
    });
  }

  function start() {
    var settled = !posted ? Promise.resolve() : update(function (draft) {
      posted.codes.forEach(function (code) {
        var entry = draft.answers[code];
        if (entry && entry.at <= posted.at && !entry.conflict) delete draft.answers[code];
      });
    });
    return settled.then(load).then(function (draft) {
      // The device's answers over the page's (the page may be an older copy from the cache).
      Object.keys(draft.answers).forEach(function (code) {
        if (current[code]) write(current[code], draft.answers[code].value);
      });
      // The skip logic reads the other parts' answers waiting on the device too.
      if (window.CoopDXSkipLogic) window.CoopDXSkipLogic.setDeviceAnswers(draft.answers);
      progress();
    }).then(sync);
  }
  window.addEventListener("online", function () { unreachable = false; sync(); });
  window.addEventListener("offline", render);
  start();

  // The service worker keeps every part of this response and its review page, as of this revision.
  function keepPages() {
    if (!("serviceWorker" in navigator) || !navigator.onLine) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) {
        registration.active.postMessage({ type: "keep-pages", urls: pages.concat([d.submitUrl]), revision: d.revision });
      }
    });
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(d.sw, { scope: "/" }).then(keepPages).catch(function () {
      /* no worker (a private window): the form still keeps the answers on the device */
    });
  }
})();
