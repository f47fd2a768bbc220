/* Antrean kiriman: a form filled without signal is kept on this device and sent when the
   signal returns, exactly once (each kept submission carries the idempotency key the form
   function already honours: a second send gets the first receipt, and no second mail).
   Shared by the pages (formulir.js, kiriman.js) and the service worker (importScripts), so
   there is one way to keep, send and forget a submission.
   - Kept in IndexedDB only, on this device; never in a URL, never sent anywhere else.
   - A submission never sent is forgotten after KEEP_DAYS days; a sent one leaves only its
     receipt (reference, form, time), which the citizen can delete at any time. */
(function (global) {
  "use strict";
  if (!global.indexedDB) return;

  var DB = "kpu-ntb-kiriman";
  var QUEUE = "antrean";
  var SENT = "terkirim";
  var KEEP_DAYS = 7;
  var DAY = 24 * 3600 * 1000;

  function open() {
    return new Promise(function (ok, fail) {
      var request = global.indexedDB.open(DB, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(QUEUE)) db.createObjectStore(QUEUE, { keyPath: "id" });
        if (!db.objectStoreNames.contains(SENT)) db.createObjectStore(SENT, { keyPath: "reference" });
      };
      request.onsuccess = function () { ok(request.result); };
      request.onerror = function () { fail(request.error); };
    });
  }

  /* Runs `work(store)` in one transaction of `name` and resolves with its result. */
  function withStore(name, mode, work) {
    return open().then(function (db) {
      return new Promise(function (ok, fail) {
        var tx = db.transaction(name, mode);
        var result;
        Promise.resolve(work(tx.objectStore(name))).then(function (r) { result = r; });
        tx.oncomplete = function () { db.close(); ok(result); };
        tx.onerror = tx.onabort = function () { db.close(); fail(tx.error); };
      });
    });
  }

  function all(name) {
    return withStore(name, "readonly", function (store) {
      return new Promise(function (ok) {
        var request = store.getAll();
        request.onsuccess = function () { ok(request.result || []); };
      });
    });
  }

  function put(name, value) {
    return withStore(name, "readwrite", function (store) { store.put(value); });
  }

  function remove(name, key) {
    return withStore(name, "readwrite", function (store) { store.delete(key); });
  }

  /* Keeps `form`'s answers (files included) to send later under `key`. */
  function keep(form, key, title, lang) {
    var fields = [];
    new FormData(form).forEach(function (value, name) { fields.push([name, value]); });
    return put(QUEUE, {
      id: key,
      formulir: form.getAttribute("data-formulir"),
      judul: title,
      bahasa: lang,
      action: form.action,
      halaman: global.location ? global.location.pathname : "",
      fields: fields,
      disimpan: Date.now()
    });
  }

  function body(entry) {
    var data = new FormData();
    entry.fields.forEach(function (pair) {
      if (pair[1] instanceof Blob) data.append(pair[0], pair[1], pair[1].name || "");
      else data.append(pair[0], pair[1]);
    });
    return data;
  }

  /* Kept submissions older than KEEP_DAYS are forgotten unsent. */
  function expire(entries) {
    var now = Date.now();
    return Promise.all(entries.map(function (entry) {
      return now - entry.disimpan > KEEP_DAYS * DAY ? remove(QUEUE, entry.id).then(function () { return null; }) : entry;
    })).then(function (kept) { return kept.filter(Boolean); });
  }

  /* Sends one kept submission. Resolves with what happened: {sent: receipt}, {guidance},
     {refused: errors} (kept, for the citizen to correct on the form), or rejects when the
     network is still down (kept, for the next try). */
  function send(entry) {
    return fetch(entry.action, {
      method: "POST",
      body: body(entry),
      headers: { Accept: "application/json", "Idempotency-Key": entry.id }
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (response.status === 200 && answer.reference) {
          var receipt = {
            reference: answer.reference,
            formulir: entry.formulir,
            judul: entry.judul,
            bahasa: entry.bahasa,
            pesan: answer.message || "",
            status_url: answer.status_url || "",
            terkirim: Date.now()
          };
          return put(SENT, receipt)
            .then(function () { return remove(QUEUE, entry.id); })
            .then(function () { return { id: entry.id, sent: receipt }; });
        }
        if (response.status === 200 && answer.guidance) {
          return remove(QUEUE, entry.id).then(function () { return { id: entry.id, guidance: answer.guidance, judul: entry.judul }; });
        }
        entry.galat = answer.errors || { "": answer.error || "" };
        return put(QUEUE, entry).then(function () { return { id: entry.id, refused: entry.galat }; });
      });
    });
  }

  var running = null;

  /* Sends every kept submission, one after the other, stopping at the first network
     failure. Concurrent calls share one run. */
  function sendAll() {
    if (running) return running;
    running = all(QUEUE).then(expire).then(function (entries) {
      var results = [];
      var waiting = entries.filter(function (e) { return !e.galat; });
      return waiting.reduce(function (chain, entry) {
        return chain.then(function (stop) {
          if (stop) return true;
          return send(entry).then(function (r) { results.push(r); return false; }, function () { return true; });
        });
      }, Promise.resolve(false)).then(function () { return results; });
    }).then(function (results) { running = null; return results; }, function (e) { running = null; throw e; });
    return running;
  }

  global.Antrean = {
    KEEP_DAYS: KEEP_DAYS,
    keep: keep,
    sendAll: sendAll,
    queued: function () { return all(QUEUE).then(expire); },
    sent: function () { return all(SENT); },
    forgetQueued: function (id) { return remove(QUEUE, id); },
    forgetSent: function (reference) { return remove(SENT, reference); },
    /* Everything this site keeps about submissions on this device. */
    forgetAll: function () {
      return new Promise(function (ok) {
        var request = global.indexedDB.deleteDatabase(DB);
        request.onsuccess = request.onerror = request.onblocked = function () { ok(); };
      });
    }
  };
})(self);
