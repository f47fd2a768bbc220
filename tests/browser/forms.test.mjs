// Forms in a real browser (Debian's chromium, driven by playwright-core), through
// `generator serve`, which answers the forms with the form function's own handler:
// one form submitted with JavaScript disabled, one with it enabled, and a failed
// submission showing the function's messages in place. Mail goes to a temporary folder.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const work = mkdtempSync(join(tmpdir(), "formulir-"));
let server, browser, base;

function freePort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const binary = process.env.GENERATOR ?? join(repo, "target/debug/generator");
  server = spawn(binary, ["serve", "--root", repo, "--port", String(port)], {
    env: { ...process.env, OUTBOX_DIR: join(work, "outbox"), SMTP_URL: "" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  await new Promise((ok, fail) => {
    let log = "";
    server.stderr.on("data", (d) => {
      log += d;
      if (log.includes("serving the site at")) ok();
    });
    server.on("exit", (code) => fail(new Error(`generator serve exited (${code}): ${log}`)));
  });
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(work, { recursive: true, force: true });
});

/** A date `days` ahead that falls on a working day, as YYYY-MM-DD. */
function workingDayAhead(days) {
  const d = new Date(Date.now() + 8 * 3600e3 + days * 86400e3);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Fills every required control of the form with an answer its rules accept. */
async function fillRequired(page) {
  for (const input of await page.locator("form[data-formulir] [required]").all()) {
    const type = await input.getAttribute("type");
    const tag = await input.evaluate((el) => el.tagName.toLowerCase());
    if (tag === "textarea") await input.fill("Uraian uji yang cukup panjang untuk memenuhi batas paling sedikit tiga puluh huruf.");
    else if (tag === "select") await input.selectOption({ index: 1 });
    else if (type === "checkbox") await input.check();
    else if (type === "email") await input.fill("warga@contoh.id");
    else if (type === "tel") await input.fill("0812 3456 7890");
    else if (type === "number") await input.fill((await input.getAttribute("min")) ?? "1");
    else if (type === "date") await input.fill(workingDayAhead(30));
    else await input.fill("Uji");
  }
  // Choices marked (wajib): the first option of each.
  for (const set of await page.locator("form[data-formulir] fieldset.pilihan").all()) {
    if ((await set.locator("legend").innerText()).includes("(wajib)")) await set.locator("input").first().check();
  }
}

test("a form submitted with JavaScript disabled shows its receipt with the reference", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${base}/formulir/informasi-publik/`);
  await fillRequired(page);
  await page.getByRole("button", { name: "Kirim" }).click();
  await page.waitForLoadState();
  const text = await page.locator("main").innerText();
  assert.match(text, /Kiriman Anda sudah kami terima/);
  assert.match(text, /INF-[2-9A-Z]{4}-[2-9A-Z]{4}/);
  await context.close();
});

test("a form submitted with JavaScript shows the receipt in place", async () => {
  const context = await browser.newContext({ javaScriptEnabled: true });
  const page = await context.newPage();
  await page.goto(`${base}/formulir/pendidikan-pemilih/`);
  await fillRequired(page);
  await page.getByRole("button", { name: "Kirim" }).click();
  const receipt = page.locator(".tanda-terima");
  await receipt.waitFor();
  assert.match(await receipt.innerText(), /DIK-[2-9A-Z]{4}-[2-9A-Z]{4}/);
  assert.equal(new URL(page.url()).pathname, "/formulir/pendidikan-pemilih/", "no page change");
  await context.close();
});

test("with JavaScript, a failed submission shows the function's messages in place", async () => {
  const context = await browser.newContext({ javaScriptEnabled: true });
  const page = await context.newPage();
  await page.goto(`${base}/formulir/pengaduan/`);
  await page.getByRole("button", { name: "Kirim" }).click();
  const summary = page.locator(".ringkasan-galat");
  await summary.waitFor({ state: "visible" });
  const messages = await summary.innerText();
  assert.match(messages, /Ada yang perlu diperbaiki/);
  assert.match(messages, /wajib diisi|Pilih/);
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("ringkasan-galat")), true, "the summary has focus");
  await context.close();
});

test("the submissions reached the local mail folder", () => {
  const mails = readdirSync(join(work, "outbox", "mail")).filter((f) => f.endsWith(".eml"));
  assert.ok(mails.length >= 2, `${mails.length} messages`);
});
