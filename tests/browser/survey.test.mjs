// The satisfaction survey end to end, in chromium against the deployment in miniature
// (static site, `forms-fn serve`, aiosmtpd): a request submitted and completed by its desk;
// the citizen follows the survey link of the closing mail, finds the service chosen, and
// rates; the same link again is refused politely; four visitors rate at the counter's page;
// `forms-fn stats` counts the request and the five ratings; the rebuilt performance page
// and the service page show them, and pass axe and the Nu Html Checker.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { READY, axeViolations, confirmLink, linkFor, mailWith, repo, start, submitInformationRequest } from "./stack.mjs";

const binary = (name) => process.env[name.toUpperCase().replace("-", "_")] ?? join(repo, "target/debug", name);
let stack;

before(async () => {
  stack = await start();
});

after(async () => {
  await stack?.stop();
});

/** The survey on `page` answered with `score` for every element (the service as it is). */
async function rate(page, score) {
  for (const element of ["persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku", "sarana", "pengaduan"]) {
    await page.locator(`input[name="${element}"][value="${score}"]`).check();
  }
  await page.locator('input[name="persetujuan"]').check();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Kirim" }).click(),
  ]);
  await page.waitForLoadState();
  return response.status();
}

test("a closed request is rated once from its mail, counted by stats and published", async () => {
  const context = await stack.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const reference = await submitInformationRequest(page, stack.base);

  const [deskMail] = await mailWith(stack.maildir, `Subject: [${reference}]`, "To: meja-ppid@");
  await confirmLink(stack.browser, linkFor(deskMail, "selesai"), "Informasi yang Anda minta terlampir.");
  const [closing] = await mailWith(stack.maildir, "To: warga@contoh.id", "Perkembangan permohonan", "selesai");
  const surveyLink = closing.match(/https?:\/\/\S+\/survei\/\S+/)?.[0];
  assert.ok(surveyLink, `a survey link in:\n${closing}`);

  // The link opens the survey with the service chosen; the citizen rates.
  await page.goto(surveyLink, READY);
  assert.equal(await page.locator('input[name="layanan"][value="informasi-publik"]').isChecked(), true);
  assert.equal(await rate(page, 4), 200);
  assert.match(await page.locator("main").innerText(), /Terima kasih/);
  // The same link again: refused politely, nothing counted twice.
  const again = await page.goto(surveyLink, READY);
  assert.equal(again.status(), 409);
  assert.match(await page.locator("main").innerText(), /sudah kami terima/);

  // Four visitors at the counter rate the same service from the site's page (without
  // JavaScript, identical answers from one address within minutes would be taken for a
  // repeated post: these differ in the visitors' schooling).
  for (const [score, schooling] of [[3, "SD"], [4, "SMP"], [3, "SMA"], [3, "S1"]]) {
    await page.goto(`${stack.base}/formulir/skm/`, READY);
    await page.locator('input[name="layanan"][value="informasi-publik"]').check();
    await page.locator(`input[name="pendidikan"][value="${schooling}"]`).check();
    assert.equal(await rate(page, score), 200);
  }
  await context.close();

  // The figures of the period, from the store, then the site rebuilt with them.
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  const year = today.slice(0, 4);
  const figures = join(stack.site, "content/kinerja/uji.json");
  const stats = spawnSync(binary("forms-fn"), ["stats", "--from", `${year}-01-01`, "--to", today, "--out", figures], {
    env: { ...process.env, SITE_DIR: stack.site, OUTBOX_DIR: stack.outbox, OUTBOX_BUCKET: "" },
    encoding: "utf8",
  });
  assert.equal(stats.status, 0, stats.stderr);
  const report = JSON.parse(readFileSync(figures, "utf8"));
  const info = report.services.find((s) => s.service === "informasi-publik");
  assert.equal(info.requests.received, "< 5", "the request counted (one: hidden, not zero)");
  assert.equal(info.requests.by_state.selesai, "< 5");
  assert.equal(info.survey.respondents, 5, "the five ratings");
  // 4 + 3 + 4 + 3 + 3 on every element: 17 / 5 = 3.4, so 25 × 3.4 = 85.00, grade B.
  assert.equal(info.survey.index, 85);
  assert.equal(info.survey.grade, "B");
  writeFileSync(
    join(stack.site, "content/kinerja/uji.md"),
    "---\ntitle: Periode Uji\ndescription: Angka kinerja periode uji.\nextra:\n  tindak_lanjut:\n    informasi-publik: Menambah jam layanan loket PPID.\n---\nPeriode uji.\n",
  );
  const build = spawnSync(binary("generator"), ["build", "--root", stack.site, "--output", stack.output], { encoding: "utf8" });
  assert.equal(build.status, 0, build.stderr);

  const check = await stack.browser.newContext();
  const view = await check.newPage();
  const failures = [];
  const pages = {};
  for (const path of ["/kinerja/", "/kinerja/uji/", "/layanan/informasi-publik/", "/en/kinerja/"]) {
    const response = await view.goto(`${stack.base}${path}`, READY);
    assert.equal(response.status(), 200, path);
    pages[path] = await response.text();
    for (const v of await axeViolations(view)) failures.push(`${path} ${v}`);
  }
  assert.deepEqual(failures, []);
  assert.match(pages["/kinerja/"], /<td>85,00<\/td><td>B \(Baik\)<\/td>/);
  assert.match(pages["/kinerja/uji/"], /Menambah jam layanan loket PPID/);
  assert.match(pages["/layanan/informasi-publik/"], /85,00 \(B, Baik\)/);
  await check.close();

  // The Nu Html Checker on the published pages.
  const dir = mkdtempSync(join(tmpdir(), "kinerja-"));
  for (const [path, html] of Object.entries(pages)) writeFileSync(join(dir, `${path.replaceAll("/", "_")}.html`), html);
  const jar = join(repo, "node_modules/vnu-jar/build/dist/vnu.jar");
  const vnu = spawnSync("java", ["-jar", jar, "--errors-only", "--format", "gnu", dir], { encoding: "utf8" });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(vnu.status, 0, vnu.stderr);
});

test("the counter's poster carries a QR code that leads to the survey", async () => {
  const page = await stack.browser.newPage();
  await page.goto(`${stack.base}/formulir/poster-survei/`, READY);
  await page.addScriptTag({ content: readFileSync(join(repo, "node_modules/jsqr/dist/jsQR.js"), "utf8") });
  // The code drawn on a canvas as a phone's camera would see it, then read.
  const read = await page.evaluate(async () => {
    const svg = document.querySelector("svg.kode-qr");
    const image = new Image();
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 400;
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, 400, 400);
    context.drawImage(image, 0, 0, 400, 400);
    return globalThis.jsQR(context.getImageData(0, 0, 400, 400).data, 400, 400)?.data;
  });
  assert.equal(read, `${stack.base}/formulir/skm/`);
  assert.match(await page.locator("svg.kode-qr").getAttribute("aria-label"), /Survei Kepuasan Masyarakat/);
  await page.close();
});
