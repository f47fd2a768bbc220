/* Luring: on every page, the small part of "no signal, no problem" that runs in the page.
   - Registers the service worker (sw.js), which keeps the pages read for reading offline.
   - Asks it to send the forms kept on this device: on opening a page, and when the browser
     comes back online (and in the background, where the browser has Background Sync).
   - Says so when a kept form has been sent, with its reference and a link to the list of
     the citizen's submissions.
   Everything works without it; nothing here is needed to read a page or send a form. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !("serviceWorker" in navigator) || !window.Promise) return;
  var worker = me.getAttribute("data-sw");
  var scope = me.getAttribute("data-lingkup");
  var list = me.getAttribute("data-daftar");
  var lang = document.documentElement.lang === "en" ? "en" : "id";
  var WORDS = {
    id: {
      sent: function (title) { return "Kiriman Anda yang tersimpan (" + title + ") sudah terkirim."; },
      reference: "Nomor referensi: ",
      guided: "Kiriman Anda yang tersimpan sudah diterima, tetapi ditangani lembaga lain: ",
      refused: "Kiriman Anda yang tersimpan belum dapat diterima: buka formulirnya untuk memperbaiki.",
      list: "Lihat kiriman saya"
    },
    en: {
      sent: function (title) { return "Your saved submission (" + title + ") has been sent."; },
      reference: "Reference number: ",
      guided: "Your saved submission was received, but is handled by another institution: ",
      refused: "Your saved submission could not be accepted yet: open its form to correct it.",
      list: "See my submissions"
    }
  }[lang];

  function ask() {
    var ready = navigator.serviceWorker.ready;
    ready.then(function (registration) {
      if (registration.active) registration.active.postMessage("kirim");
      if (registration.sync) registration.sync.register("kiriman").catch(function () { /* not allowed */ });
    });
  }

  /* One line per result, at the top of the page; a form page shows its own receipt. */
  function announce(results) {
    var main = document.querySelector("main");
    if (!main) return;
    results.forEach(function (r) {
      if (document.querySelector("[data-kiriman-id='" + r.id + "']")) return;
      var box = document.createElement("div");
      box.className = "kabar-kiriman";
      box.setAttribute("role", "status");
      box.setAttribute("data-kiriman-id", r.id);
      var p = document.createElement("p");
      if (r.sent) p.textContent = WORDS.sent(r.sent.judul) + " " + WORDS.reference + r.sent.reference;
      else if (r.guidance) p.textContent = WORDS.guided + r.guidance;
      else p.textContent = WORDS.refused;
      box.appendChild(p);
      if (list) {
        var a = document.createElement("a");
        a.href = list;
        a.textContent = WORDS.list;
        box.appendChild(a);
      }
      main.insertBefore(box, main.firstChild);
    });
    document.dispatchEvent(new CustomEvent("kiriman", { detail: results }));
  }

  /* On the offline page: the pages this phone has saved, with their titles. */
  function listSaved() {
    var section = document.querySelector("[data-tersimpan]");
    if (!section || !window.caches) return;
    caches.keys().then(function (names) {
      var pages = names.filter(function (n) { return n.indexOf("halaman-") === 0; });
      return Promise.all(pages.map(function (n) {
        return caches.open(n).then(function (cache) {
          return cache.keys().then(function (keys) {
            return Promise.all(keys.map(function (k) {
              return cache.match(k).then(function (r) {
                return { url: k.url, title: decodeURIComponent(r.headers.get("x-judul") || "") || k.url };
              });
            }));
          });
        });
      }));
    }).then(function (lists) {
      var ul = section.querySelector("ul");
      [].concat.apply([], lists).forEach(function (p) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = p.url;
        a.textContent = p.title;
        li.appendChild(a);
        ul.appendChild(li);
      });
      section.hidden = !ul.children.length;
    });
  }

  listSaved();
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.type === "kiriman") announce(event.data.results);
  });
  navigator.serviceWorker.register(worker, { scope: scope }).then(ask, function () { /* not allowed here */ });
  window.addEventListener("online", ask);
})();
