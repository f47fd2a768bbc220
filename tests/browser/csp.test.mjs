// The site under the Content-Security-Policy that deploy/template.yaml gives it on
// CloudFront (read from the template, with the Lambda Function URL pattern pointed at the
// local function): every page, and a form sent with and without JavaScript, in chromium,
// with not one violation reported.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PDF, freePort, repo, start } from "./stack.mjs";

let stack;
let policy;

/** The template's policy, for a function listening at `endpoint`. */
function templatePolicy(endpoint) {
  const template = readFileSync(join(repo, "deploy/template.yaml"), "utf8");
  const line = template.match(/ContentSecurityPolicy: !Sub "([^"]+)"/);
  assert.ok(line, "the template sets a Content-Security-Policy");
  return line[1].replaceAll("https://*.lambda-url.${AWS::Region}.on.aws", endpoint);
}

before(async () => {
  // The policy names the function's origin, so its port is chosen first.
  const port = await freePort();
  policy = templatePolicy(`http://127.0.0.1:${port}`);
  stack = await start({ headers: { "content-security-policy": policy }, functionPort: port });
});

after(async () => {
  await stack?.stop();
});

/** A page that records every CSP violation and console error. */
async function watched(context) {
  const page = await context.newPage();
  const reports = [];
  page.on("console", (m) => {
    if (m.type() === "error") reports.push(m.text());
  });
  page.on("pageerror", (e) => reports.push(e.message));
  return { page, reports };
}

test("the template's policy is strict", () => {
  assert.match(policy, /default-src 'self'/);
  // WebAssembly (the search) may be compiled; JavaScript strings may not be evaluated.
  assert.doesNotMatch(policy, /unsafe-inline|(?<!wasm-)unsafe-eval|\*(?!\.)/);
});

test("search works under the policy", async () => {
  const context = await stack.browser.newContext();
  const { page, reports } = await watched(context);
  await page.goto(`${stack.base}/cari/?q=pengaduan`);
  await page.locator("#cari-hasil li a").first().waitFor();
  assert.deepEqual(reports, []);
  await context.close();
});

test("every page loads under the policy without a violation", async () => {
  const context = await stack.browser.newContext();
  const { page, reports } = await watched(context);
  const failures = [];
  for (const path of [...stack.pages(), "/tidak-ada/"]) {
    reports.length = 0;
    const response = await page.goto(stack.base + path);
    assert.equal(response.headers()["content-security-policy"], policy);
    failures.push(...reports.filter((r) => !r.includes("404")).map((r) => `${path}: ${r}`));
  }
  assert.deepEqual(failures, []);
  await context.close();
});

for (const javaScriptEnabled of [true, false]) {
  test(`a form is sent under the policy ${javaScriptEnabled ? "with" : "without"} JavaScript`, async () => {
    const context = await stack.browser.newContext({ javaScriptEnabled });
    const { page, reports } = await watched(context);
    await page.goto(`${stack.base}/formulir/pengaduan/`);
    await page.locator('input[name="kategori"][value="layanan"]').check();
    await page.locator('input[name="judul"]').fill("Salinan keputusan belum dilayani");
    await page.locator('textarea[name="uraian"]').fill("Permohonan salinan keputusan sudah tiga minggu belum dilayani petugas.");
    await page.locator('input[name="lampiran"]').setInputFiles({ name: "bukti.pdf", mimeType: "application/pdf", buffer: PDF });
    for (const box of await page.locator('input[type="checkbox"][required]').all()) await box.check();
    await page.getByRole("button", { name: "Kirim" }).click();
    await page.getByText(/ADU-[2-9A-Z]{4}-[2-9A-Z]{4}/).first().waitFor();
    assert.deepEqual(reports, []);
    await context.close();
  });
}
