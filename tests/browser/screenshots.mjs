// Screenshots of every page type at 360 px (a cheap phone) and 1280 px (a desktop), the form
// function's answers included, and a service page printed to PDF: written to
// target/screenshots/ (not committed), to be looked at. Run by scripts/screenshots.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { repo, start, workingDayAhead, PDF } from "./stack.mjs";

const out = join(repo, "target/screenshots");
mkdirSync(out, { recursive: true });
const stack = await start();
try {
  const pages = stack.pages();
  const first = (prefix) => pages.find((p) => p.startsWith(prefix) && p !== prefix && !p.includes("/halaman/"));
  const types = {
    beranda: "/",
    bagian: "/layanan/",
    layanan: "/layanan/informasi-publik/",
    prosedur: first("/prosedur/"),
    artikel: first("/pendidikan-pemilih/"),
    profil: "/profil/tentang/",
    berita: "/berita/",
    "berita-item": first("/berita/"),
    topik: first("/tag/"),
    formulir: "/formulir/pengaduan/",
    "tidak-ditemukan": "/tidak-ada/",
  };
  for (const width of [360, 1280]) {
    const context = await stack.browser.newContext({ viewport: { width, height: 800 }, javaScriptEnabled: false });
    const page = await context.newPage();
    for (const [name, path] of Object.entries(types)) {
      await page.goto(stack.base + path);
      await page.screenshot({ path: join(out, `${name}-${width}.png`), fullPage: true });
    }
    // The function's answers: the form again with its errors, then the receipt.
    await page.goto(`${stack.base}/formulir/pengaduan/`);
    await page.getByRole("button", { name: "Kirim" }).click();
    await page.waitForLoadState();
    await page.screenshot({ path: join(out, `jawaban-galat-${width}.png`), fullPage: true });
    await page.locator('input[name="kategori"][value="layanan"]').check();
    await page.locator('input[name="judul"]').fill("Salinan keputusan belum dilayani");
    await page.locator('textarea[name="uraian"]').fill("Permohonan salinan keputusan sudah tiga minggu belum dilayani petugas.");
    await page.locator('input[name="tanggal_kejadian"]').fill(workingDayAhead(-10));
    await page.locator('input[name="lampiran"]').setInputFiles({ name: "bukti.pdf", mimeType: "application/pdf", buffer: PDF });
    for (const box of await page.locator('input[type="checkbox"][required]').all()) await box.check();
    await page.getByRole("button", { name: "Kirim" }).click();
    await page.waitForLoadState();
    await page.screenshot({ path: join(out, `jawaban-tanda-terima-${width}.png`), fullPage: true });
    await context.close();
  }
  const print = await stack.browser.newPage();
  await print.goto(`${stack.base}/layanan/informasi-publik/`);
  await print.pdf({ path: join(out, "layanan-cetak.pdf"), format: "A4" });
  console.log(`screenshots and layanan-cetak.pdf in ${out}`);
} finally {
  await stack.stop();
}
