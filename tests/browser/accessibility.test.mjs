// Accessibility in a real browser (Debian's chromium, driven by playwright-core) against the
// deployment in miniature (tests/browser/stack.mjs): axe-core on every page the build writes
// and on every answer the form function gives, the Nu Html Checker on those answers, reflow
// at 320 CSS px and at 200% zoom, every form without JavaScript, and keyboard-only journeys.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { axeViolations, confirmLink, fillRequired, linkFor, mailWith, mails, repo, start, submitInformationRequest } from "./stack.mjs";

const FORMS = ["autentifikasi", "data-pemilih", "informasi-publik", "keberatan-informasi", "magang", "pendidikan-pemilih", "pengaduan", "skm", "tanggapan-paw"];
let stack;
const answers = []; // [name, html] of the function's raw answers, for the Nu Html Checker

before(async () => {
  stack = await start();
});

after(async () => {
  await stack?.stop();
});

const violations = axeViolations;

/**
 * axe-core's violations on an answer of the function, as a browser shows it. (A page with
 * JavaScript disabled cannot run axe: the answer it got is shown again in one that can.)
 */
async function answerViolations(html) {
  const page = await stack.browser.newPage();
  await page.goto(`${stack.base}/`);
  await page.setContent(html, { waitUntil: "load" });
  const found = await violations(page);
  await page.close();
  return found;
}

/** What makes the page fail reflow: sideways scrolling, or text cut off by its box. */
function reflowProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > width + 1) problems.push(`scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
    for (const el of document.body.querySelectorAll("*")) {
      const style = getComputedStyle(el);
      if (style.display === "none" || style.visibility === "hidden" || el.closest("[hidden], .madu, .visually-hidden, .sr-only")) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!text) continue;
      // Partly outside: cut off. (Wholly outside is deliberate, like the skip link.)
      const cut = (box.left < width && box.right > width + 1) || (box.right > 0 && box.left < -1);
      if (cut) problems.push(`outside the viewport: <${el.tagName.toLowerCase()}> "${el.textContent.trim().slice(0, 40)}"`);
      const clips = (o) => o === "hidden" || o === "clip";
      if ((clips(style.overflowX) && el.scrollWidth > el.clientWidth + 1) || (clips(style.overflowY) && el.scrollHeight > el.clientHeight + 1))
        problems.push(`clipped: <${el.tagName.toLowerCase()}> "${el.textContent.trim().slice(0, 40)}"`);
    }
    return problems;
  });
}

test("every page has no WCAG 2.2 A/AA violation at 320 and 1280 CSS px", async () => {
  const pages = stack.pages();
  assert.ok(pages.length > 60, `${pages.length} pages`);
  const failures = [];
  for (const width of [320, 1280]) {
    const context = await stack.browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    for (const path of [...pages, "/halaman-yang-tidak-ada/"]) {
      await page.goto(stack.base + path);
      for (const v of await violations(page)) failures.push(`${width}px ${path}: ${v}`);
    }
    await context.close();
  }
  assert.deepEqual(failures, []);
});

test("no page scrolls sideways or clips text at 320 CSS px or at 200% zoom", async () => {
  const failures = [];
  // 200% zoom of a 1280 px window is a 640 CSS px layout at twice the pixel density.
  for (const [label, viewport, deviceScaleFactor] of [["320px", { width: 320, height: 640 }, 1], ["200%", { width: 640, height: 400 }, 2]]) {
    const context = await stack.browser.newContext({ viewport, deviceScaleFactor });
    const page = await context.newPage();
    for (const path of stack.pages()) {
      await page.goto(stack.base + path);
      for (const p of await reflowProblems(page)) failures.push(`${label} ${path}: ${p}`);
    }
    await context.close();
  }
  assert.deepEqual(failures, []);
});

/** Submits the form on `page` by its button and returns the function's raw answer. */
async function submit(page) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Kirim" }).click(),
  ]);
  const html = await response.text();
  await page.waitForLoadState();
  return { status: response.status(), html, url: response.url() };
}

test("without JavaScript every form shows its errors, then its receipt, and reaches its desk", async () => {
  const context = await stack.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const failures = [];
  const references = [];
  for (const id of FORMS) {
    await page.goto(`${stack.base}/formulir/${id}/`);
    // Sent empty: the form again, from the function, with a summary linking to each field.
    const empty = await submit(page);
    assert.equal(empty.status, 422, id);
    answers.push([`galat-${id}`, empty.html]);
    const summary = page.locator(".ringkasan-galat");
    assert.match(await summary.innerText(), /Ada yang perlu diperbaiki/, id);
    for (const href of await summary.locator("a").evaluateAll((links) => links.map((a) => a.getAttribute("href")))) {
      assert.equal(await page.locator(href).count(), 1, `${id}: ${href} leads to its field`);
    }
    for (const v of await answerViolations(empty.html)) failures.push(`${id} errors page: ${v}`);
    // Completed: the receipt, with the reference.
    await fillRequired(page);
    const sent = await submit(page);
    assert.equal(sent.status, 200, `${id}: ${sent.status === 422 ? await page.locator(".ringkasan-galat").innerText() : sent.html.slice(0, 300)}`);
    answers.push([`tanda-terima-${id}`, sent.html]);
    const reference = (await page.locator("main").innerText()).match(/[A-Z]{3}-[2-9A-Z]{4}-[2-9A-Z]{4}/)?.[0];
    assert.ok(reference, `${id}: a reference on the receipt`);
    references.push(reference);
    for (const v of await answerViolations(sent.html)) failures.push(`${id} receipt: ${v}`);
  }
  assert.deepEqual(failures, []);
  // Delivered over SMTP after the answer: wait for the mail server to have all eight.
  for (let i = 0; i < 200 && !references.every((r) => mails(stack.maildir).some((m) => m.includes(`[${r}]`))); i++) {
    await new Promise((ok) => setTimeout(ok, 50));
  }
  for (const r of references) assert.ok(mails(stack.maildir).some((m) => m.includes(`Subject: [${r}]`)), `${r} reached its desk`);
  await context.close();
});

test("a complaint for another institution is answered with guidance, accessibly", async () => {
  const context = await stack.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${stack.base}/formulir/pengaduan/`);
  await fillRequired(page);
  await page.locator('input[name="kategori"][value="pelanggaran-pemilu"]').check();
  const answer = await submit(page);
  assert.equal(answer.status, 200);
  assert.match(await page.locator("main").innerText(), /Bawaslu/);
  answers.push(["panduan-pengaduan", answer.html]);
  assert.deepEqual(await answerViolations(answer.html), []);
  await context.close();
});

test("the status lookup and the desk's pages pass axe", async () => {
  const context = await stack.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const failures = [];
  /** The page at `url` (a GET), kept for the Nu Html Checker and checked with axe. */
  const opened = async (name, url, status) => {
    const response = await page.goto(url);
    assert.equal(response.status(), status, `${name}: ${url}`);
    const html = await response.text();
    answers.push([name, html]);
    for (const v of await answerViolations(html)) failures.push(`${name}: ${v}`);
  };
  /** The answer to the form on the page, sent by its button `label`. */
  const sent = async (name, label, status) => {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: label }).click(),
    ]);
    assert.equal(response.status(), status, name);
    const html = await response.text();
    await page.waitForLoadState();
    answers.push([name, html]);
    for (const v of await answerViolations(html)) failures.push(`${name}: ${v}`);
  };

  const reference = await submitInformationRequest(page, stack.base);

  // The citizen's lookup on the function: the form, an answer, and "not found".
  await opened("status-formulir", `${stack.endpoint}/status?nomor=${reference}`, 200);
  await page.getByLabel("Alamat surel atau nomor HP").fill("warga@contoh.id");
  await sent("status-hasil", "Cek status", 200);
  await page.goto(`${stack.endpoint}/status?nomor=${reference}`);
  await page.getByLabel("Alamat surel atau nomor HP").fill("orang-lain@contoh.id");
  await sent("status-tidak-ditemukan", "Cek status", 404);

  // The desk's pages: a step to confirm, the step recorded, a link used again, a forged one.
  const [deskMail] = await mailWith(stack.maildir, `Subject: [${reference}]`, "To: meja-ppid@");
  const link = deskMail.match(new RegExp(`https?://\\S+/tautan/${reference}\\.proses\\.\\S+`))?.[0];
  assert.ok(link, "a process link in the desk's mail");
  await opened("tautan-konfirmasi", link, 200);
  await page.getByLabel(/Catatan untuk pemohon/).fill("Berkas Anda sedang kami periksa.");
  await sent("tautan-tercatat", "Konfirmasi", 200);
  await opened("tautan-sudah-dipakai", link, 409);
  await opened("tautan-palsu", link.replace(/\.[^.]+$/, ".AAAAAAAAAAAAAAAAAAAAAA"), 403);

  // Completed: the citizen's survey, opened from the closing mail, and its thanks.
  await confirmLink(stack.browser, linkFor(deskMail, "selesai"), "Informasi terlampir.");
  const [closing] = await mailWith(stack.maildir, "To: warga@contoh.id", "Perkembangan permohonan", "selesai");
  const survey = closing.match(/https?:\/\/\S+\/survei\/\S+/)?.[0];
  assert.ok(survey, "a survey link in the closing mail");
  await opened("survei", survey, 200);
  for (const element of ["persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku", "sarana", "pengaduan"]) {
    await page.locator(`input[name="${element}"][value="3"]`).check();
  }
  await page.locator('input[name="persetujuan"]').check();
  await sent("survei-terima-kasih", "Kirim", 200);
  await opened("survei-sudah-dinilai", survey, 409);
  await context.close();
  assert.deepEqual(failures, []);
});

test("the function's HTML answers pass the Nu Html Checker", { skip: false }, () => {
  assert.ok(answers.length >= 27, `${answers.length} answers collected by the tests above`);
  const dir = mkdtempSync(join(tmpdir(), "jawaban-"));
  for (const [name, html] of answers) writeFileSync(join(dir, `${name}.html`), html);
  const jar = join(repo, "node_modules/vnu-jar/build/dist/vnu.jar");
  const run = spawnSync("java", ["-jar", jar, "--errors-only", "--format", "gnu", dir], { encoding: "utf8" });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr.trim(), "");
});
