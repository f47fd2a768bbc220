// No signal, no problem, in Debian's chromium against the deployment in miniature
// (tests/browser/stack.mjs: the site as static files, the form function, a real SMTP server):
// - a page read online is shown offline with the note saying when it was saved; a page never
//   read shows the offline page, with the office's contact and the pages saved;
// - a form sent without signal is kept on the phone, sent once when the signal returns (its
//   mail reaches the desk, its receipt appears), and nothing more on a second reconnection;
// - "my submissions" lists it, and deleting it leaves no trace in the browser's storage;
// - a form kept on a page then closed is sent on the next visit, and said so on that page;
// - a kept submission never sent is forgotten after its days on the phone;
// - a deploy of a new version replaces the worker and its caches on the next visit;
// - under `generator serve`, the worker does not stand in the way of live reload.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fillRequired, freePort, mailWith, mails, repo, said, start } from "./stack.mjs";

let stack;

before(async () => {
  stack = await start();
});

after(async () => {
  await stack?.stop();
});

/** A new browser context whose page is controlled by the site's worker, its install done. */
async function controlled(path = "/") {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  await page.goto(stack.base + path);
  // Installed (the first pages fetched) and in control of the page; a worker that fails to
  // install fails the test here instead of leaving it waiting.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
  await page.evaluate(() => navigator.serviceWorker.ready);
  return { context, page };
}

const note = /tidak tersambung ke internet\. Halaman ini tersimpan di perangkat Anda pada \d+ \S+ \d{4}/;

test("a page read online is shown offline with when it was saved; an unread page shows the offline page", async () => {
  const { context, page } = await controlled("/layanan/paw/");
  await page.goto(`${stack.base}/prosedur/paw/`);
  await context.setOffline(true);

  await page.goto(`${stack.base}/prosedur/paw/`);
  assert.match(await page.locator(".catatan-luring").innerText(), note);
  assert.match(await page.locator("h1").innerText(), /Prosedur/);
  // Fetched quietly after the first visit, never opened: the home page and a service page.
  for (const path of ["/", "/layanan/pengaduan/"]) {
    await page.goto(stack.base + path);
    assert.match(await page.locator(".catatan-luring").innerText(), note, path);
  }

  await page.goto(`${stack.base}/profil/tentang/`);
  assert.equal(await page.locator("h1").innerText(), "Tidak Ada Sinyal");
  const main = await page.locator("main").innerText();
  assert.match(main, /Telepon/, "the office's phone");
  assert.match(main, /Alamat/, "the office's address");
  await page.locator("[data-tersimpan] li").first().waitFor();
  assert.match(await page.locator("[data-tersimpan]").innerText(), /Prosedur Penggantian Antarwaktu/);

  // Online again: the page comes from the network, without the note.
  await context.setOffline(false);
  await page.goto(`${stack.base}/prosedur/paw/`);
  assert.equal(await page.locator(".catatan-luring").count(), 0);
  await context.close();
});

/** Every value the browser keeps for the site: web storage, IndexedDB and Cache Storage. */
async function everythingStored(page) {
  return page.evaluate(async () => {
    const found = [JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })];
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((ok, fail) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      for (const store of db.objectStoreNames) {
        const rows = await new Promise((ok) => {
          const r = db.transaction(store).objectStore(store).getAll();
          r.onsuccess = () => ok(r.result);
        });
        found.push(JSON.stringify(rows));
      }
      db.close();
    }
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) found.push(request.url, await (await cache.match(request)).text());
    }
    return found.join("\n");
  });
}

/** The mails to a desk about `reference` (the citizen's own confirmation is not counted). */
const deskMails = (reference) =>
  mails(stack.maildir).filter((m) => {
    const head = m.split(/\r?\n\r?\n/)[0];
    return head.includes(`Subject: [${reference}]`) && head.includes("To: meja-");
  });

test("a form sent without signal is kept, sent once when the signal returns, listed, and deleted without a trace", async () => {
  const { context, page } = await controlled("/formulir/pendidikan-pemilih/");
  await fillRequired(page);
  const marker = `Sanggar Uji Luring ${Date.now()}`;
  await page.locator("#f-lembaga").fill(marker);
  await context.setOffline(true);
  await page.getByRole("button", { name: "Kirim" }).click();
  const kept = page.locator(".tanda-terima");
  await kept.waitFor();
  assert.match(await kept.innerText(), /Tidak ada sinyal: kiriman Anda disimpan di ponsel ini/);
  assert.equal(await page.evaluate(async () => (await Antrean.queued()).length), 1);

  await context.setOffline(false);
  await page.locator(".tanda-terima", { hasText: /DIK-[2-9A-Z]{4}-[2-9A-Z]{4}/ }).waitFor({ timeout: 30000 });
  const reference = (await kept.innerText()).match(/DIK-[2-9A-Z]{4}-[2-9A-Z]{4}/)[0];
  for (let i = 0; i < 200 && deskMails(reference).length === 0; i++) await new Promise((ok) => setTimeout(ok, 50));
  assert.equal(deskMails(reference).length, 1, "the desk mail arrived once");
  const [desk] = await mailWith(stack.maildir, `Subject: [${reference}]`, "To: meja-");
  assert.ok(desk.includes(marker), "with the answers kept on the phone");
  assert.equal(await page.evaluate(async () => (await Antrean.queued()).length), 0, "nothing left to send");

  // A second reconnection sends nothing more.
  await context.setOffline(true);
  await context.setOffline(false);
  await page.goto(`${stack.base}/`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await new Promise((ok) => setTimeout(ok, 1500));
  assert.equal(deskMails(reference).length, 1, "sent exactly once");

  await page.goto(`${stack.base}/formulir/kiriman-saya/`);
  const list = page.locator("[data-terkirim]");
  await list.waitFor();
  assert.match(await list.innerText(), new RegExp(`Nomor referensi: ${reference}`));
  assert.match(await everythingStored(page), new RegExp(reference), "the receipt is kept before deleting");

  await list.getByRole("button", { name: "Hapus dari perangkat ini" }).click();
  await page.locator("[data-kosong]").waitFor();
  const stored = await everythingStored(page);
  assert.ok(!stored.includes(reference), "no trace of the reference");
  assert.ok(!stored.includes(marker), "no trace of the answers");
  await context.close();
});

test("a deploy of a new version replaces the worker and its caches on the next visit", async () => {
  const { context, page } = await controlled("/");
  const version = (file) => readFileSync(file, "utf8").match(/var VERSION = "([0-9a-f]+)"/)[1];
  const first = version(join(stack.output, "sw.js"));
  const before = await page.evaluate(() => caches.keys());
  assert.ok(before.length > 0 && before.every((n) => n.endsWith(first)), before.join());

  // The new version: a changed stylesheet, built over the old output as a deploy does.
  appendFileSync(join(stack.site, "templates/static/css/main.css"), "\n/* versi baru */\n");
  const build = spawnSync(join(repo, "target/debug/generator"), ["build", "--root", stack.site, "--output", stack.output], { encoding: "utf8", env: { ...process.env, LC_ALL: "en" } });
  assert.equal(build.status, 0, build.stderr);
  const second = version(join(stack.output, "sw.js"));
  assert.notEqual(first, second);

  await page.goto(`${stack.base}/layanan/paw/`);
  let names = [];
  for (let i = 0; i < 150; i++) {
    names = await page.evaluate(() => caches.keys());
    if (names.length === 2 && names.every((n) => n.endsWith(second))) break;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  assert.deepEqual(names.sort(), [`halaman-${second}`, `inti-${second}`], "only the new version's caches");
  assert.equal(
    await page.evaluate(async () => (await navigator.serviceWorker.ready).active.scriptURL.endsWith("/sw.js")),
    true,
  );
  const stylesheet = await page.evaluate(async () => {
    const core = (await caches.keys()).find((n) => n.startsWith("inti-"));
    return (await (await caches.open(core)).keys()).map((r) => new URL(r.url).pathname).find((p) => p.startsWith("/css/"));
  });
  const linked = readFileSync(join(stack.output, "index.html"), "utf8").match(/href="(\/css\/[^"]+)"/)[1];
  assert.equal(stylesheet, linked, "the new stylesheet is the one kept");
  await context.close();
});

test("a kept submission never sent is forgotten after its days on the phone", async () => {
  const { context, page } = await controlled("/formulir/kiriman-saya/");
  const left = await page.evaluate(async () => {
    const days = Antrean.KEEP_DAYS;
    const form = document.createElement("form");
    form.setAttribute("data-formulir", "uji");
    form.action = "/tidak-ada/";
    await Antrean.keep(form, "kunci-lama", "Uji", "id");
    await Antrean.keep(form, "kunci-baru", "Uji", "id");
    // Age the first one past the limit, as if it had been kept that long ago.
    const db = await new Promise((ok) => {
      const r = indexedDB.open("kpu-ntb-kiriman");
      r.onsuccess = () => ok(r.result);
    });
    await new Promise((ok) => {
      const store = db.transaction("antrean", "readwrite").objectStore("antrean");
      const r = store.get("kunci-lama");
      r.onsuccess = () => {
        store.put({ ...r.result, disimpan: Date.now() - (days + 1) * 24 * 3600 * 1000 });
        store.transaction.oncomplete = ok;
      };
    });
    db.close();
    const kept = (await Antrean.queued()).map((k) => k.id);
    await Antrean.forgetAll();
    return kept;
  });
  assert.deepEqual(left, ["kunci-baru"]);
  await context.close();
});

test("under generator serve, the worker does not stand in the way of live reload", async () => {
  const port = await freePort();
  const serve = spawn(join(repo, "target/debug/generator"), ["serve", "--root", stack.site, "--port", String(port)], {
    env: { ...process.env, LC_ALL: "en", OUTBOX_DIR: join(stack.site, "..", "serve-outbox"), SMTP_URL: "" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  try {
    await said(serve, "serving the site at", "generator serve");
    const context = await stack.browser.newContext();
    const page = await context.newPage();
    const local = `http://127.0.0.1:${port}`;
    await page.goto(`${local}/profil/tentang/`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
    const reloaded = page.waitForEvent("load", { timeout: 30000 });
    appendFileSync(join(stack.site, "content/profil/tentang.md"), "\nKalimat baru dari penyunting.\n");
    await reloaded;
    assert.match(await page.locator("main").innerText(), /Kalimat baru dari penyunting\./);
    await context.close();
  } finally {
    serve.kill();
  }
});

test("a form kept without signal is sent on the next visit, after its page was closed", async () => {
  const { context, page } = await controlled("/formulir/pendidikan-pemilih/");
  await fillRequired(page);
  await context.setOffline(true);
  await page.getByRole("button", { name: "Kirim" }).click();
  await page.locator(".tanda-terima", { hasText: /disimpan di ponsel ini/ }).waitFor();
  await page.close();

  await context.setOffline(false);
  const later = await context.newPage();
  await later.goto(`${stack.base}/layanan/`);
  const news = later.locator(".kabar-kiriman");
  await news.waitFor({ timeout: 30000 });
  const reference = (await news.innerText()).match(/DIK-[2-9A-Z]{4}-[2-9A-Z]{4}/)?.[0];
  assert.ok(reference, await news.innerText());
  for (let i = 0; i < 200 && deskMails(reference).length === 0; i++) await new Promise((ok) => setTimeout(ok, 50));
  assert.equal(deskMails(reference).length, 1);
  await later.getByRole("link", { name: "Lihat kiriman saya" }).click();
  await later.locator("[data-terkirim]").waitFor();
  assert.match(await later.locator("[data-terkirim]").innerText(), new RegExp(reference));
  await context.close();
});
