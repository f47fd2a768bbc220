/* "My submissions": the forms kept on this phone until the signal returns and the receipts
   of those sent, read from the phone's own storage (antrean.js) and never from the server.
   Each can be deleted, and everything at once: on a shared phone nothing of one citizen's
   submission stays for the next (the kept answers, the receipt, the form's draft and its
   idempotency key). */
(function () {
  "use strict";
  var box = document.querySelector("[data-kiriman-saya]");
  if (!box || !window.Antrean) return;
  var say = box.dataset;
  var queued = box.querySelector("[data-antrean]");
  var sent = box.querySelector("[data-terkirim]");
  var empty = box.querySelector("[data-kosong]");
  var all = box.querySelector("[data-hapus-semua]");
  var news = box.querySelector("[data-kabar]");
  box.querySelector("[data-perlu-js]").hidden = true;
  var locale = document.documentElement.lang === "en" ? "en-GB" : "id-ID";

  function when(ms) {
    return new Date(ms).toLocaleString(locale, { timeZone: "Asia/Makassar", dateStyle: "long", timeStyle: "short" }) + " WITA";
  }

  function el(tag, text) {
    var e = document.createElement(tag);
    if (text) e.textContent = text;
    return e;
  }

  /* The traces a form leaves besides the kept submission: its draft and its key. */
  function forgetTraces(formulir) {
    try {
      localStorage.removeItem("draf:" + formulir);
      sessionStorage.removeItem("kunci:" + formulir);
    } catch (e) { /* storage off */ }
  }

  function item(lines, link, forget) {
    var li = el("li");
    lines.forEach(function (line) { li.appendChild(el("p", line)); });
    if (link) {
      var p = el("p");
      var a = el("a", link.text);
      a.href = link.href;
      p.appendChild(a);
      li.appendChild(p);
    }
    var button = el("button", say.delete);
    button.type = "button";
    button.addEventListener("click", function () {
      forget().then(function () {
        news.textContent = say.deleted;
        show();
      });
    });
    li.appendChild(button);
    return li;
  }

  function show() {
    return Promise.all([window.Antrean.queued(), window.Antrean.sent()]).then(function (both) {
      var waiting = both[0], done = both[1];
      var ql = queued.querySelector("ul"), sl = sent.querySelector("ul");
      ql.textContent = "";
      sl.textContent = "";
      waiting.forEach(function (k) {
        ql.appendChild(item(
          [k.judul, say.savedOn + ": " + when(k.disimpan)].concat(k.galat ? [say.refused] : []),
          k.galat && k.halaman ? { href: k.halaman, text: say.openForm } : null,
          function () { forgetTraces(k.formulir); return window.Antrean.forgetQueued(k.id); }
        ));
      });
      done.sort(function (a, b) { return b.terkirim - a.terkirim; }).forEach(function (r) {
        sl.appendChild(item(
          [r.judul, say.reference + ": " + r.reference, say.sentOn + ": " + when(r.terkirim)],
          r.status_url ? { href: r.status_url, text: say.status } : null,
          function () { forgetTraces(r.formulir); return window.Antrean.forgetSent(r.reference); }
        ));
      });
      queued.hidden = waiting.length === 0;
      sent.hidden = done.length === 0;
      empty.hidden = waiting.length + done.length > 0;
      all.hidden = waiting.length + done.length === 0;
    });
  }

  all.addEventListener("click", function () {
    Promise.all([window.Antrean.queued(), window.Antrean.sent()]).then(function (both) {
      both[0].concat(both[1]).forEach(function (k) { forgetTraces(k.formulir); });
      return window.Antrean.forgetAll();
    }).then(function () {
      news.textContent = say.deleted;
      show();
    });
  });

  box.querySelector("[data-kirim-sekarang]").addEventListener("click", function () {
    var controller = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (controller) controller.postMessage("kirim");
    else window.Antrean.sendAll().then(show);
  });
  document.addEventListener("kiriman", show);
  show();
})();
