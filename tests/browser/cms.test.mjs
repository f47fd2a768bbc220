// The content editor at /admin/, as an editor uses it on their computer: `generator serve`
// on a copy of the site, Decap CMS in chromium against serve's local backend. One value of
// a service standard is changed and saved: exactly that line of that file changes, and the
// site still checks. A required component cleared is refused before saving; an English
// translation is edited beside its Indonesian page. And the local backend, which writes
// files, answers nothing but the editor's own tab.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { chromiumArgs, freePort, repo, said } from "./stack.mjs";

const binary = process.env.GENERATOR ?? join(repo, "target/debug/generator");
let work, site, base, server, browser;
const reports = [];

before(async () => {
  work = mkdtempSync(join(tmpdir(), "penyunting-"));
  site = join(work, "site");
  for (const dir of ["content", "templates"]) cpSync(join(repo, dir), join(site, dir), { recursive: true });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(binary, ["serve", "--root", site, "--port", String(port)], {
    env: { ...process.env, LC_ALL: "en", OUTBOX_DIR: join(work, "outbox"), SMTP_URL: "" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  await said(server, "serving the site at", "generator serve");
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (work) rmSync(work, { recursive: true, force: true });
});

const file = (path) => readFileSync(join(site, path), "utf8");

/** The lines that differ between two versions of a file with the same number of lines. */
function changedLines(before, after) {
  const a = before.split("\n");
  const b = after.split("\n");
  assert.equal(b.length, a.length, `the number of lines changed:\n${after}`);
  return a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]]]));
}

/** Waits until `path` differs from `before`, or fails after 15 s. */
async function changed(path, before) {
  for (let i = 0; i < 150; i++) {
    if (file(path) !== before) return file(path);
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`${path} was not saved`);
}

/** The editor, signed in to the local backend, open on `entry` of `collection`. */
async function editor(collection, entry) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 404/.test(m.text())) reports.push(m.text());
  });
  page.on("pageerror", (e) => reports.push(e.message));
  page.on("request", (r) => {
    if (!r.url().startsWith(base) && !/^(blob|data):/.test(r.url())) reports.push(`request to ${r.url()}`);
  });
  await page.goto(`${base}/admin/`);
  // The editor speaks Indonesian (generator/src/admin/id.json): "Masuk" is "Login".
  await page.getByRole("button", { name: "Masuk", exact: true }).click();
  await page.goto(`${base}/admin/#/collections/${collection}/entries/${entry}`);
  await page.getByText("Biaya/tarif").first().waitFor();
  return page;
}

async function publish(page) {
  await page.getByRole("button", { name: "Terbitkan", exact: true }).click();
  await page.getByText("Terbitkan sekarang").click();
}

/** The field of the standard's fee, and its "to confirm" switch, in the Indonesian pane. */
function fee(page) {
  const input = page.getByLabel("Biaya/tarif", { exact: true }).first();
  return { input, pending: input.locator("xpath=..").locator("input[type=checkbox]") };
}

test("editing one value of a service standard changes exactly that line, and the site still checks", async () => {
  const before = file("content/layanan/paw.md");
  const english = file("content/layanan/paw.en.md");
  const page = await editor("layanan", "paw");
  const { input, pending } = fee(page);
  assert.equal(await pending.isChecked(), true, "the fee is a placeholder in the site");
  await pending.uncheck();
  await input.fill("Gratis");
  await publish(page);
  const after = await changed("content/layanan/paw.md", before);
  assert.deepEqual(changedLines(before, after), [
    ['  biaya: {konfirmasi: "apakah layanan PAW tidak dipungut biaya"}', "  biaya: Gratis"],
  ]);
  assert.equal(file("content/layanan/paw.en.md"), english, "the translation is untouched");
  for (const language of ["sas", "smw", "bhp"]) {
    assert.ok(!existsSync(join(site, `content/layanan/paw.${language}.md`)), `no empty paw.${language}.md`);
  }
  const check = spawnSync(binary, ["check", "--root", site], { encoding: "utf8" });
  assert.equal(check.status, 0, check.stderr);
  assert.deepEqual(reports, [], "no policy violation, no script error, nothing fetched from elsewhere");
  await page.close();
});

test("clearing a required component is refused before saving", async () => {
  const before = file("content/layanan/paw.md");
  const page = await editor("layanan", "paw");
  const { input, pending } = fee(page);
  assert.equal(await pending.isChecked(), false);
  await input.fill("");
  await publish(page);
  await page.getByText(/Wajib diisi/).first().waitFor();
  await page.waitForTimeout(1000);
  assert.equal(file("content/layanan/paw.md"), before, "nothing was saved");
  await page.close();
});

test("an English translation is edited beside its Indonesian page", async () => {
  const indonesian = file("content/layanan/paw.md");
  const before = file("content/layanan/paw.en.md");
  const page = await editor("layanan", "paw");
  // Two panes side by side: the Indonesian page, then its English translation.
  const title = page.getByLabel("Judul", { exact: true }).nth(1);
  assert.match(await title.inputValue(), /^Interim Replacement/);
  await title.fill("Interim Replacement (PAW) of Members of the NTB Provincial DPRD");
  await publish(page);
  const after = await changed("content/layanan/paw.en.md", before);
  assert.deepEqual(changedLines(before, after), [
    [before.split("\n")[1], "title: Interim Replacement (PAW) of Members of the NTB Provincial DPRD"],
  ]);
  assert.equal(file("content/layanan/paw.md"), indonesian);
  await page.close();
});

/** Sends a raw request to the local backend; resolves with the status. */
function send({ method = "POST", headers = {}, body = "" }) {
  const { port } = new URL(base);
  return new Promise((ok, fail) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path: "/admin/api/v1", method, headers: { "content-type": "application/json", origin: base, ...headers } },
      (res) => {
        res.resume();
        res.on("end", () => ok(res.statusCode));
      },
    );
    req.on("error", fail);
    req.end(body);
  });
}

const persist = (path, raw = "---\ntitle: X\n---\n") =>
  JSON.stringify({ action: "persistEntry", params: { branch: "main", dataFiles: [{ path, slug: "x", raw }], assets: [], options: {} } });

test("the local backend answers only the editor's own tab, inside content/", async () => {
  const info = JSON.stringify({ action: "info", params: {} });
  assert.equal(await send({ body: info }), 200, "the editor's own request");
  assert.equal(await send({ body: info, headers: { origin: "https://penyerang.example" } }), 403, "another site in the browser");
  assert.equal(await send({ body: info, headers: { origin: "" } }), 403, "no origin");
  assert.equal(await send({ body: info, headers: { host: "penyerang.example" } }), 403, "a rebound name");
  assert.equal(await send({ body: info, headers: { "content-type": "text/plain" } }), 415, "a simple cross-site post");
  assert.equal(await send({ method: "GET" }), 405);
  for (const path of ["templates/base.html", "content/../templates/x.md", "/etc/x.md", "content/layanan/../../x.md"]) {
    assert.equal(await send({ body: persist(path) }), 403, path);
  }
  assert.ok(!existsSync(join(site, "templates/x.md")) && !existsSync(join(site, "x.md")));
  assert.equal(await send({ body: persist("content/layanan/skrip.html") }), 415, "only pages are saved as entries");
  const svg = JSON.stringify({ action: "persistMedia", params: { branch: "main", asset: { path: "content/berkas/a.svg", content: "PHN2Zz4=", encoding: "base64" } } });
  assert.equal(await send({ body: svg }), 415, "no SVG (it may carry a script)");
  const remove = JSON.stringify({ action: "deleteFile", params: { branch: "main", path: "content/layanan/paw.md" } });
  assert.equal(await send({ body: remove }), 403, "pages are not deleted from the editor");
  assert.ok(existsSync(join(site, "content/layanan/paw.md")));
  assert.equal(await send({ body: "x".repeat(15 * 1024 * 1024) }), 413, "a flood in one request");
});
