/* Status page: optional improvement on a lookup form that works without JavaScript.
   - Fills in the reference from the link (?nomor=...) the receipt and the mail carry.
   - Asks the form function for JSON and shows the answer in place; the words come from the
     form's data-* attributes, in the page's language. Nothing is stored on the device. */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData || !window.URLSearchParams) return;
  var form = document.querySelector("form[data-status]");
  if (!form) return;
  var out = form.parentNode.querySelector(".hasil-status");
  var nomor = new URLSearchParams(location.search).get("nomor");
  if (nomor && /^[A-Z]{3}-[2-9A-Z]{4}-[2-9A-Z]{4}$/.test(nomor)) {
    form.elements.nomor.value = nomor;
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function row(dl, term, value) {
    dl.appendChild(el("dt", term));
    dl.appendChild(el("dd", value));
  }

  function show(node) {
    out.textContent = "";
    out.appendChild(node);
    out.hidden = false;
    out.focus();
  }

  function result(r) {
    var d = form.dataset;
    var box = el("section", null, "status-permohonan");
    box.appendChild(el("h3", r.reference));
    var dl = el("dl");
    row(dl, d.service, r.service);
    row(dl, d.state, r.state_text);
    row(dl, d.received, r.received_text);
    if (r.due_text) row(dl, d.due, r.due_text + (r.extended ? " (" + d.extended + ")" : ""));
    box.appendChild(dl);
    box.appendChild(el("h4", d.history));
    var ol = el("ol", null, "riwayat");
    r.history.forEach(function (step) {
      var li = el("li");
      li.appendChild(el("strong", step.date_text + ": " + step.state_text));
      if (step.note) { li.appendChild(el("br")); li.appendChild(document.createTextNode(step.note)); }
      if (step.basis) { li.appendChild(el("br")); li.appendChild(document.createTextNode(d.basis + ": " + step.basis)); }
      ol.appendChild(li);
    });
    box.appendChild(ol);
    return box;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { Accept: "application/json" }
    })
      .then(function (answer) {
        return answer.json().then(function (body) { return { ok: answer.ok, body: body }; });
      })
      .then(function (a) {
        if (a.ok && a.body.archived) show(el("p", a.body.message));
        else if (a.ok) show(result(a.body));
        else show(el("p", a.body.error || form.dataset.failed, "galat"));
      })
      .catch(function () { show(el("p", form.dataset.failed, "galat")); })
      .then(function () { button.disabled = false; });
  });
})();
