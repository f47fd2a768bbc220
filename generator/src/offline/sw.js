/* The service worker: pages read once stay readable without signal, and forms filled
   without signal are sent when it returns. Written by the generator at each build, after
   the constants above (this build's version, its base path, its fingerprinted files), so a
   deploy replaces it, and with it every cache of the previous version.
   - Pages (navigations): from the network whenever it answers, so a page is never stale
     while the signal works; a copy is kept (the last PAGE_LIMIT pages read). Without
     network: the kept copy, with a note saying when it was saved; a page never read: the
     offline page (what is saved, the office's phone and address).
   - The stylesheet, scripts and icon (fingerprinted, never changing): from the cache.
   - Kept submissions (antrean.js): sent on `sync` where the browser has Background Sync,
     and whenever a page asks (on opening, and when the browser comes back online).
   Not touched: other origins (the form function), anything but GET, addresses with a
   query (a status lookup carries its reference), the content editor, the search index and
   the preview server's live reload. */
"use strict";
importScripts(QUEUE_SCRIPT);

var CORE = "inti-" + VERSION;
var PAGES = "halaman-" + VERSION;
var PAGE_LIMIT = 60;

var NOTE = {
  id: { saved: "Anda sedang tidak tersambung ke internet. Halaman ini tersimpan di perangkat Anda pada", old: "dan mungkin sudah berubah." },
  en: { saved: "You are offline. This page was saved on your device on", old: "and may have changed since." }
};

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CORE)
      .then(function (cache) { return cache.addAll(CORE_FILES); })
      .then(function () {
        /* The home page and the service pages, fetched quietly: each on its own, so one
           that fails does not stop the others (or the install). */
        return Promise.all(FIRST_PAGES.map(function (path) {
          return fetch(path).then(function (response) { return response.ok ? keepPage(path, response) : null; }).catch(function () { return null; });
        }));
      })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (n) { return n !== CORE && n !== PAGES; }).map(function (n) { return caches.delete(n); }));
      })
      .then(function () { return self.clients.claim(); })
      .then(sendKept)
  );
});

function ours(url) {
  if (url.origin !== self.location.origin || url.search) return false;
  var path = url.pathname;
  return path.indexOf(BASE) === 0 &&
    path.indexOf(BASE + "admin/") !== 0 &&
    path.indexOf(BASE + "pagefind/") !== 0 &&
    path.indexOf("/__livereload") !== 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (!ours(url)) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  } else if (CORE_FILES.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
  }
});

/* Keeps a copy of a page, stamped with the time it was saved. */
function keepPage(key, response) {
  var type = response.headers.get("content-type") || "";
  if (type.indexOf("text/html") !== 0) return Promise.resolve();
  return response.text().then(function (html) {
    var title = (/<title>([^<]*)<\/title>/.exec(html) || [])[1] || "";
    var headers = new Headers({
      "content-type": type,
      "x-disimpan": String(Date.now()),
      /* For the list of saved pages on the offline page; a header is ASCII only. */
      "x-judul": encodeURIComponent(title.replace(/&amp;/g, "&"))
    });
    return caches.open(PAGES).then(function (cache) {
      return cache.put(key, new Response(html, { headers: headers })).then(function () { return trim(cache); });
    });
  });
}

/* The oldest copies go first once there are more than PAGE_LIMIT (the first pages stay). */
function trim(cache) {
  return cache.keys().then(function (keys) {
    var extra = keys.filter(function (k) { return FIRST_PAGES.indexOf(new URL(k.url).pathname) < 0; });
    return Promise.all(extra.slice(0, Math.max(0, extra.length - PAGE_LIMIT)).map(function (k) { return cache.delete(k); }));
  });
}

function page(request, url) {
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected) keepPage(url.pathname, response.clone());
    return response;
  }).catch(function () {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(url.pathname).then(function (saved) {
        if (saved) return withNote(saved);
        return caches.match(offlinePage(url.pathname)).then(function (offline) {
          return offline || Response.error();
        });
      });
    });
  });
}

/* The offline page in the language of the address asked for. */
function offlinePage(path) {
  for (var i = 0; i < OFFLINE_PAGES.length; i++) {
    var prefix = OFFLINE_PAGES[i][0];
    if (prefix !== BASE && path.indexOf(prefix) === 0) return OFFLINE_PAGES[i][1];
  }
  return OFFLINE_PAGES[0][1];
}

function withNote(saved) {
  var when = new Date(Number(saved.headers.get("x-disimpan")) || Date.now());
  return saved.text().then(function (html) {
    var lang = (/<html lang="([a-z]+)"/.exec(html) || [])[1];
    var words = NOTE[lang] || NOTE.id;
    var locale = lang === "en" ? "en-GB" : "id-ID";
    var date = when.toLocaleString(locale, { timeZone: "Asia/Makassar", dateStyle: "long", timeStyle: "short" }) + " WITA";
    var note = '<p class="catatan-luring" role="status">' + words.saved + " " + date + ", " + words.old + "</p>";
    return new Response(html.replace("<!--catatan-luring-->", note), {
      headers: { "content-type": saved.headers.get("content-type") }
    });
  });
}

function tell(results) {
  if (!results || !results.length) return results;
  return self.clients.matchAll({ includeUncontrolled: true }).then(function (clients) {
    clients.forEach(function (client) { client.postMessage({ type: "kiriman", results: results }); });
    return results;
  });
}

function sendKept() {
  return self.Antrean ? self.Antrean.sendAll().then(tell).catch(function () { return []; }) : Promise.resolve([]);
}

self.addEventListener("sync", function (event) {
  if (event.tag === "kiriman") event.waitUntil(sendKept());
});

self.addEventListener("message", function (event) {
  if (event.data === "kirim") event.waitUntil(sendKept());
});
