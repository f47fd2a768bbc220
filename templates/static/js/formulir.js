/* Formulir: optional improvements on top of forms that work without JavaScript.
   - Submits with fetch and shows the receipt, the guidance or the errors in place.
   - Errors come from the form function itself, so they read exactly as without JavaScript;
     a required field left empty is flagged as soon as the citizen leaves it.
   - Keeps a draft on this device (localStorage) until the form is sent. NIK-type fields
     (autocomplete="off") and files are never stored in the draft.
   - Without signal, keeps the whole submission on this device to send once the signal
     returns (antrean.js), and says so; the note becomes the receipt once it is sent. */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) return;

  /* The words of the script, in the language of the form page (its `_bahasa` field). */
  var WORDS = {
    id: {
      fix: "Ada yang perlu diperbaiki",
      tick: function (label) { return "Centang \"" + label + "\" untuk melanjutkan."; },
      required: function (label) { return label + " wajib diisi."; },
      sending: "Mengirim…",
      send: "Kirim",
      received: "Kiriman Anda sudah kami terima",
      reference: "Nomor referensi Anda: ",
      keep: "Simpan atau catat nomor ini.",
      status: "Lihat perkembangan permohonan ini",
      guided: "Pengaduan Anda ditangani lembaga lain",
      failed: "Kiriman belum dapat diproses. Coba lagi.",
      offline: "Koneksi terputus. Isian Anda tersimpan di perangkat ini; coba kirim lagi.",
      kept: "Tidak ada sinyal: kiriman Anda disimpan di ponsel ini",
      keptHow: function (days) { return "Kiriman ini akan dikirim otomatis saat sinyal kembali, cukup sekali; Anda tidak perlu mengisi atau mengirim ulang. Nomor referensi muncul di sini setelah terkirim. Jika tidak terkirim dalam " + days + " hari, kiriman ini dihapus dari ponsel."; },
      keptRefused: "Kiriman yang disimpan belum dapat diterima",
      list: "Lihat kiriman saya"
    },
    en: {
      fix: "Some answers need correcting",
      tick: function (label) { return "Tick \"" + label + "\" to continue."; },
      required: function (label) { return label + " is required."; },
      sending: "Sending…",
      send: "Send",
      received: "We have received your submission",
      reference: "Your reference number: ",
      keep: "Keep or write down this number.",
      status: "See how this request is progressing",
      guided: "Your complaint is handled by another institution",
      failed: "Your submission could not be processed yet. Please try again.",
      offline: "The connection was lost. Your answers are kept on this device; please send again.",
      kept: "No signal: your submission is kept on this phone",
      keptHow: function (days) { return "It will be sent automatically when the signal returns, once; you do not need to fill in or send it again. The reference number appears here once it is sent. If it cannot be sent within " + days + " days, it is deleted from the phone."; },
      keptRefused: "The saved submission could not be accepted yet",
      list: "See my submissions"
    }
  };

  function words(form) {
    var field = form.querySelector("input[name=_bahasa]");
    return WORDS[field && field.value] || WORDS.id;
  }

  function text(el) { return el ? el.textContent.replace(/\s*\((wajib|required)\)\s*$/, "").trim() : ""; }

  function slot(form, name) { return form.querySelector("#f-" + CSS.escape(name) + "-galat"); }

  function showError(form, name, message) {
    var p = slot(form, name);
    var input = form.querySelector("#f-" + CSS.escape(name));
    if (p) { p.textContent = message; p.hidden = !message; }
    if (input) {
      if (message) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
      var box = input.closest(".isian, .pilihan, .persetujuan");
      if (box) box.classList.toggle("isian-galat", !!message);
    }
  }

  function summary(form, errors) {
    var box = form.querySelector(".ringkasan-galat");
    if (!box) return;
    box.textContent = "";
    var names = Object.keys(errors);
    box.hidden = names.length === 0;
    if (!names.length) return;
    var h = document.createElement("h2");
    h.textContent = words(form).fix;
    var ul = document.createElement("ul");
    names.forEach(function (name) {
      var li = document.createElement("li");
      if (name) {
        var a = document.createElement("a");
        a.href = "#f-" + name;
        a.textContent = errors[name];
        li.appendChild(a);
      } else {
        li.textContent = errors[name];
      }
      ul.appendChild(li);
    });
    box.appendChild(h);
    box.appendChild(ul);
    box.setAttribute("role", "alert");
    box.focus();
  }

  function replaceWith(form, heading, lines, link) {
    var section = document.createElement("div");
    section.className = "tanda-terima";
    section.setAttribute("tabindex", "-1");
    var h = document.createElement("h2");
    h.textContent = heading;
    section.appendChild(h);
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      section.appendChild(p);
    });
    if (link) {
      var p = document.createElement("p");
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      p.appendChild(a);
      section.appendChild(p);
    }
    form.parentNode.replaceChild(section, form);
    section.focus();
  }

  function draftKey(form) { return "draf:" + form.getAttribute("data-formulir"); }

  /* One key per filled-in form, kept until it is received: a retry after a lost answer
     gets the first receipt instead of a second submission. */
  function idempotencyKey(form) {
    var name = "kunci:" + form.getAttribute("data-formulir"), key;
    try { key = sessionStorage.getItem(name); } catch (e) { key = null; }
    if (!key) {
      key = Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
      try { sessionStorage.setItem(name, key); } catch (e) { /* private mode */ }
    }
    return key;
  }

  function storable(el) {
    return el.name && el.type !== "file" && el.type !== "hidden" && el.getAttribute("autocomplete") !== "off";
  }

  function saveDraft(form) {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!storable(el)) return;
      if ((el.type === "checkbox" || el.type === "radio")) {
        if (el.checked) (data[el.name] = data[el.name] || []).push(el.value);
      } else if (el.value) {
        data[el.name] = [el.value];
      }
    });
    try { localStorage.setItem(draftKey(form), JSON.stringify(data)); } catch (e) { /* storage full or off */ }
  }

  function restoreDraft(form) {
    var data;
    try { data = JSON.parse(localStorage.getItem(draftKey(form)) || "null"); } catch (e) { data = null; }
    if (!data) return;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!storable(el) || !data[el.name]) return;
      if (el.type === "checkbox" || el.type === "radio") el.checked = data[el.name].indexOf(el.value) >= 0;
      else if (!el.value) el.value = data[el.name][0];
    });
  }

  function requiredCheck(form, el) {
    if (!el.required || !el.name) return;
    var empty = el.type === "checkbox" ? !el.checked : !el.value.trim();
    var label = form.querySelector("label[for='" + el.id + "']");
    if (el.type === "checkbox") showError(form, el.name, empty ? words(form).tick(text(label)) : "");
    else showError(form, el.name, empty ? words(form).required(text(label)) : "");
  }

  /* Dates that cannot lie ahead: the picker stops at today (WITA). */
  function capPastDates(form) {
    var today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    Array.prototype.forEach.call(form.querySelectorAll("input[data-tanggal=lampau]"), function (input) {
      input.max = today;
    });
  }

  /* No signal: the answers (files included) are kept on this device with the form's
     idempotency key and sent when the signal returns (antrean.js, luring.js); the form
     gives way to a note that says so, which becomes the receipt once sent. */
  function keepForLater(form) {
    var say = words(form);
    var name = "kunci:" + form.getAttribute("data-formulir");
    var key = idempotencyKey(form);
    var heading = document.querySelector("h1");
    var title = heading ? heading.textContent.trim() : form.getAttribute("data-formulir");
    window.Antrean.keep(form, key, title, words(form) === WORDS.en ? "en" : "id").then(function () {
      try { localStorage.removeItem(draftKey(form)); sessionStorage.removeItem(name); } catch (err) { /* ignore */ }
      var parent = form.parentNode;
      replaceWith(form, say.kept, [say.keptHow(window.Antrean.KEEP_DAYS)], list() ? { href: list(), text: say.list } : null);
      var note = parent.querySelector(".tanda-terima");
      if (note) note.setAttribute("data-kiriman-id", key);
      var shown = function (results) {
        results.forEach(function (r) {
          if (r.id !== key || !note || !note.isConnected) return;
          var fresh = document.createElement("form");
          note.parentNode.replaceChild(fresh, note);
          if (r.sent) {
            replaceWith(fresh, say.received, [say.reference + r.sent.reference, r.sent.pesan, say.keep],
              r.sent.status_url ? { href: r.sent.status_url, text: say.status } : null);
          } else if (r.guidance) {
            replaceWith(fresh, say.guided, [r.guidance]);
          } else {
            replaceWith(fresh, say.keptRefused, [], list() ? { href: list(), text: say.list } : null);
          }
          note = null;
        });
      };
      document.addEventListener("kiriman", function (e) { shown(e.detail); });
      /* Without a service worker (not supported, or not yet running), this page sends. */
      window.addEventListener("online", function () {
        if (!navigator.serviceWorker || !navigator.serviceWorker.controller) window.Antrean.sendAll().then(shown);
      });
    }, function () {
      saveDraft(form);
      summary(form, { "": say.offline });
    });
  }

  /* The page listing the citizen's submissions (named by luring.js's tag on every page). */
  function list() {
    var tag = document.querySelector("script[data-daftar]");
    return tag && tag.getAttribute("data-daftar");
  }

  function enhance(form) {
    capPastDates(form);
    restoreDraft(form);
    var timer;
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { saveDraft(form); }, 400); });
    form.addEventListener("focusout", function (e) { if (e.target.matches("input, textarea, select")) requiredCheck(form, e.target); });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var button = form.querySelector("[type=submit]");
      var say = words(form);
      if (button) { button.disabled = true; button.textContent = say.sending; }
      fetch(form.action, { method: "POST", body: new FormData(form), headers: { Accept: "application/json", "Idempotency-Key": idempotencyKey(form) } })
        .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); })
        .then(function (res) {
          Array.prototype.forEach.call(form.querySelectorAll(".galat"), function (p) { p.hidden = true; p.textContent = ""; });
          if (res.status === 200 && res.body.reference) {
            try { localStorage.removeItem(draftKey(form)); sessionStorage.removeItem("kunci:" + form.getAttribute("data-formulir")); } catch (err) { /* ignore */ }
            replaceWith(form, say.received, [
              say.reference + res.body.reference,
              res.body.message,
              say.keep
            ], res.body.status_url ? { href: res.body.status_url, text: say.status } : null);
          } else if (res.status === 200 && res.body.guidance) {
            replaceWith(form, say.guided, [res.body.guidance]);
          } else if (res.status === 422) {
            Object.keys(res.body.errors).forEach(function (name) { showError(form, name, res.body.errors[name]); });
            summary(form, res.body.errors);
          } else {
            /* 409: the form changed, or this key already stands for other answers: the
               next attempt is a new submission with a new key. */
            if (res.status === 409) {
              try { sessionStorage.removeItem("kunci:" + form.getAttribute("data-formulir")); } catch (err) { /* ignore */ }
            }
            summary(form, { "": res.body.error || say.failed });
          }
        })
        .catch(function () {
          if (window.Antrean) keepForLater(form);
          else {
            saveDraft(form);
            summary(form, { "": say.offline });
          }
        })
        .then(function () { if (button && button.isConnected) { button.disabled = false; button.textContent = say.send; } });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-formulir]"), enhance);
})();
