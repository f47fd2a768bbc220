// Search in chromium, as a citizen uses it: queries typed into the search page, in
// Indonesian and in English, each expected to bring a given page first. And what search
// costs: nothing on other pages, and without JavaScript the A–Z index instead.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start } from "./stack.mjs";

let stack;

before(async () => {
  stack = await start();
});

after(async () => {
  await stack?.stop();
});

/** Types `query` into the search page of `searchPath` and returns the result links. */
async function search(page, searchPath, query) {
  await page.goto(stack.base + searchPath);
  const box = page.locator("#cari-q");
  await box.fill(query);
  await box.press("Enter");
  await page.locator("#cari-status").filter({ hasText: query }).waitFor();
  return page.locator("#cari-hasil li h2 a").evaluateAll((links) => links.map((a) => new URL(a.href).pathname));
}

// What citizens look for, and the page that answers it.
const expected = [
  ["cek DPT", "/pendidikan-pemilih/cek-dpt-online/"],
  ["pindah memilih", "/pendidikan-pemilih/pindah-memilih/"],
  ["syarat magang", "/layanan/magang/"],
  ["pemilih pemula", "/pendidikan-pemilih/pemilih-pemula/"],
  ["politik uang", "/pendidikan-pemilih/politik-uang-dan-hoaks/"],
  ["pemilih disabilitas", "/pendidikan-pemilih/hak-pemilih-disabilitas/"],
  ["mencoblos di TPS", "/pendidikan-pemilih/langkah-mencoblos-di-tps/"],
  ["penggantian antarwaktu", "/layanan/paw/"],
  ["salinan keputusan autentifikasi", "/layanan/autentifikasi/"],
  ["zona integritas", "/profil/zona-integritas/"],
  ["maklumat pelayanan", "/profil/maklumat-pelayanan/"],
  ["keberatan informasi", "/prosedur/keberatan-informasi/"],
];

test("realistic queries bring the expected page first", async () => {
  const page = await stack.browser.newPage();
  const wrong = [];
  for (const [query, first] of expected) {
    const results = await search(page, "/cari/", query);
    if (results[0] !== first) wrong.push(`${query}: expected ${first} first, got ${results.slice(0, 3).join(", ") || "nothing"}`);
  }
  assert.deepEqual(wrong, []);
  await page.close();
});

test("a word and its inflected forms find the voter pages (Indonesian stemming)", async () => {
  const page = await stack.browser.newPage();
  const voterPages = (results) => results.filter((p) => p.startsWith("/pendidikan-pemilih/"));
  const forms = {};
  for (const word of ["pilih", "pemilih", "memilih", "pemilihan"]) forms[word] = await search(page, "/cari/", word);
  for (const [word, results] of Object.entries(forms)) {
    assert.ok(voterPages(results).length >= 5, `${word}: ${results.join(", ")}`);
  }
  // The stem is shared: each form finds the same pages.
  assert.deepEqual(new Set(forms.memilih), new Set(forms.pemilih));
  await page.close();
});

test("each result shows its title, section and a snippet with the words marked", async () => {
  const page = await stack.browser.newPage();
  await search(page, "/cari/", "cek DPT");
  const first = page.locator("#cari-hasil li").first();
  assert.equal(await first.locator("h2").textContent(), "Cek DPT Online: Cara Memastikan Anda Terdaftar sebagai Pemilih");
  assert.equal(await first.locator(".cari-bagian").textContent(), "Materi Pendidikan Pemilih");
  assert.ok((await first.locator("mark").count()) >= 1);
  assert.match(await page.locator("#cari-status").textContent(), /\d+/);
  await page.close();
});

test("search is per language: English pages on the English search page only", async () => {
  const page = await stack.browser.newPage();
  const english = await search(page, "/en/cari/", "complaint");
  assert.equal(english[0], "/en/layanan/pengaduan/");
  assert.ok(english.every((p) => p.startsWith("/en/")), english.join(", "));
  assert.equal((await search(page, "/en/cari/", "internship requirements"))[0], "/en/layanan/magang/");
  const indonesian = await search(page, "/cari/", "pengaduan");
  assert.ok(indonesian.length > 0 && indonesian.every((p) => !p.startsWith("/en/")), indonesian.join(", "));
  await page.close();
});

test("search code and index load only when the reader searches", async () => {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  const fetched = [];
  context.on("request", (r) => fetched.push(new URL(r.url()).pathname));
  for (const path of ["/", "/layanan/paw/", "/pendidikan-pemilih/", "/en/", "/cari/"]) await page.goto(stack.base + path);
  assert.deepEqual(fetched.filter((p) => p.startsWith("/pagefind/")), []);
  // Every page's search box leads to the search page of its language.
  await page.goto(`${stack.base}/en/layanan/paw/`);
  await page.locator("header form[role=search] input").fill("complaint");
  await page.locator("header form[role=search] input").press("Enter");
  await page.locator("#cari-hasil li").first().waitFor();
  assert.equal(new URL(page.url()).pathname, "/en/cari/");
  assert.ok(fetched.some((p) => p.startsWith("/pagefind/")));
  // The search runs on the page: no second copy of the search code for a worker.
  assert.deepEqual(fetched.filter((p) => p.includes("worker")), []);
  // The query is not left in the address (nor in the history).
  assert.equal(new URL(page.url()).search, "");
  await context.close();
});

test("without JavaScript the search box leads to the A–Z index of every page", async () => {
  const context = await stack.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${stack.base}/layanan/paw/`);
  await page.locator("header form[role=search] input").fill("cek DPT");
  await page.locator("header form[role=search] button").click();
  await page.waitForURL(/\/indeks\/$/);
  assert.equal(await page.locator("h1").textContent(), "Indeks A–Z");
  const listed = new Set(
    (await page.locator("main ul a").evaluateAll((links) => links.map((a) => a.getAttribute("href")))),
  );
  const missing = stack
    .pages()
    .filter((p) => !p.startsWith("/en/") && !p.startsWith("/tag/") && !/\/(cari|indeks|halaman\/\d+)\/$/.test(p))
    .filter((p) => !listed.has(p));
  assert.deepEqual(missing, []);
  await context.close();
});
