// Forms in a real browser (Debian's chromium, driven by playwright-core), through
// `generator serve`, which answers the forms with the form function's own handler:
// one form submitted with JavaScript disabled, one with it enabled, and a failed
// submission showing the function's messages in place. Mail goes to a temporary folder.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { chromiumArgs, fillRequired, freePort, repo } from "./stack.mjs";

const work = mkdtempSync(join(tmpdir(), "formulir-"));
let server, browser, base;

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const binary = process.env.GENERATOR ?? join(repo, "target/debug/generator");
  server = spawn(binary, ["serve", "--root", repo, "--port", String(port)], {
    env: { ...process.env, LC_ALL: "en", OUTBOX_DIR: join(work, "outbox"), SMTP_URL: "" },
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
    args: chromiumArgs,
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(work, { recursive: true, force: true });
});

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
