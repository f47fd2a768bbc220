// After the receipt, in a real browser through `generator serve` with a real SMTP server
// (aiosmtpd): a request submitted without JavaScript; the desk opens the "process" link of
// its mail and confirms; the citizen's status page shows it and the citizen got a mail;
// the desk completes with a note; the status page shows that too, with and without
// JavaScript.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { READY, chromiumArgs, confirmLink, freePort, linkFor, mailWith, repo, said, siteCopy, submitInformationRequest } from "./stack.mjs";


const work = mkdtempSync(join(tmpdir(), "status-"));
const children = [];
let browser, base, maildir;

before(async () => {
  const [port, smtpPort] = [await freePort(), await freePort()];
  base = `http://127.0.0.1:${port}`;
  const site = siteCopy(work, base, "/api/forms");
  maildir = join(work, "maildir");
  const python = spawnSync("python3", ["-c", "import aiosmtpd, sys; print(sys.executable)"], { encoding: "utf8" });
  if (python.status !== 0) throw new Error("aiosmtpd is missing: run scripts/test, which installs it");
  children.push(spawn(python.stdout.trim(), ["-m", "aiosmtpd", "-n", "-l", `127.0.0.1:${smtpPort}`, "-c", "aiosmtpd.handlers.Mailbox", maildir], { stdio: "ignore" }));
  const binary = process.env.GENERATOR ?? join(repo, "target/debug/generator");
  const server = spawn(binary, ["serve", "--root", site, "--port", String(port)], {
    env: {
      ...process.env,
      LC_ALL: "en",
      OUTBOX_DIR: join(work, "outbox"),
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: "Formulir KPU Provinsi NTB <formulir@kpu-ntb.example>",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(server);
  await said(server, "serving the site at", "generator serve");
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  children.forEach((child) => child.kill());
  rmSync(work, { recursive: true, force: true });
});

/** The messages whose headers contain every one of `parts`, decoded. */
const waitForMail = (...parts) => mailWith(maildir, ...parts);

/** The desk confirms a step from its link, with a note to the citizen. */
const confirmStep = (link, note) => confirmLink(browser, link, note);

test("a request is tracked from the desk's mail to the citizen's status page", async () => {
  // Submitted without JavaScript; the receipt links to the status.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const page = await noScript.newPage();
  // The email is optional on this form: given, so the citizen is told of each step.
  const reference = await submitInformationRequest(page, base);
  const statusLink = page.getByRole("link", { name: "Lihat perkembangan permohonan ini" });
  assert.match(await statusLink.getAttribute("href"), new RegExp(`/status\\?nomor=${reference}$`));

  // The desk's mail carries the links; opening one changes nothing until confirmed.
  const [deskMail] = await waitForMail(`Subject: [${reference}]`, "To: meja-ppid@");
  const process = linkFor(deskMail, "proses");
  await page.goto(process, READY);
  await page.goto(process, READY);
  await page.goto(`${base}/api/forms/status?nomor=${reference}`, READY);
  await page.getByLabel("Alamat surel atau nomor HP").fill("warga@contoh.id");
  await page.getByRole("button", { name: "Cek status" }).click();
  await page.waitForLoadState();
  assert.match(await page.locator("main").innerText(), /Status\s+Diterima/);

  await confirmStep(process, "Berkas Anda sedang kami periksa.");
  const [told] = await waitForMail("To: warga@contoh.id", "Perkembangan permohonan");
  assert.match(told, /Berkas Anda sedang kami periksa\./);

  // The site's status page, with JavaScript: the reference from the link, the answer in place.
  const scripted = await browser.newContext({ javaScriptEnabled: true });
  const status = await scripted.newPage();
  await status.goto(`${base}/formulir/status/?nomor=${reference}`, READY);
  assert.equal(await status.getByLabel("Nomor referensi").inputValue(), reference);
  await status.getByLabel("Alamat surel atau nomor HP").fill("0812 3456 7890");
  await status.getByRole("button", { name: "Cek status" }).click();
  const result = status.locator(".hasil-status");
  await result.locator(".status-permohonan").waitFor();
  assert.match(await result.innerText(), /Sedang diproses/);
  assert.equal(new URL(status.url()).pathname, "/formulir/status/", "answered in place");

  // Completed with a note; the page shows it, without JavaScript too.
  await confirmStep(linkFor(deskMail, "selesai"), "Salinan informasi terlampir pada surel ini.");
  await page.goto(`${base}/formulir/status/`, READY);
  await page.getByLabel("Nomor referensi").fill(reference);
  await page.getByLabel("Alamat surel atau nomor HP").fill("warga@contoh.id");
  await page.getByRole("button", { name: "Cek status" }).click();
  await page.waitForLoadState();
  const answer = await page.locator("main").innerText();
  assert.match(answer, /Selesai/);
  assert.match(answer, /Salinan informasi terlampir pada surel ini\./);
  assert.doesNotMatch(answer, /warga@contoh\.id|Warga Uji/, "nothing the citizen submitted");

  // A wrong contact gets the words an unknown reference gets.
  await status.reload();
  await status.getByLabel("Nomor referensi").fill(reference);
  await status.getByLabel("Alamat surel atau nomor HP").fill("orang-lain@contoh.id");
  await status.getByRole("button", { name: "Cek status" }).click();
  await result.locator(".galat").waitFor();
  assert.match(await result.innerText(), /tidak menemukan permohonan/);
  await noScript.close();
  await scripted.close();
});
