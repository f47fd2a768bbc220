// What search costs on a large site: builds the 10,000-page corpus of bench/corpus.py with
// the portal's own theme, then prints the size of the search index and the bytes a first
// query transfers (search code, WebAssembly, index chunks and result fragments, compressed
// as a CDN sends them), measured in chromium with a cold cache, for several queries.
// Target: under 150 KB for a first query.
//
//   node bench/search.mjs [--pages 10000 | --portal] [--generator target/release/generator]
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { chromiumArgs, freePort, repo, staticServer } from "../tests/browser/stack.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const pages = Number(arg("pages", "10000"));
const generator = arg("generator", join(repo, "target/release/generator"));
// `--portal`: the portal's own content instead of the corpus.
const portal = process.argv.includes("--portal");
const queries = portal
  ? ["pemilih", "cek DPT", "syarat magang", "pengaduan", "informasi publik", "pindah memilih", "salinan keputusan"]
  : ["pemilih", "daftar pemilih tetap", "rekapitulasi suara", "pengaduan", "kabupaten", "tahapan pemilu", "sosialisasi"];

const work = mkdtempSync(join(tmpdir(), "search-bench-"));
try {
  let site = repo;
  if (!portal) {
    const corpus = spawnSync("python3", [join(repo, "bench/corpus.py"), "--pages", String(pages), "--out", work], { encoding: "utf8" });
    if (corpus.status !== 0) throw new Error(corpus.stderr);
    site = join(work, "ours");
    // The corpus with the portal's theme (the home page lists news from `berita/`).
    rmSync(join(site, "templates"), { recursive: true });
    cpSync(join(repo, "templates"), join(site, "templates"), { recursive: true });
    mkdirSync(join(site, "content/berita"), { recursive: true });
    writeFileSync(join(site, "content/berita/_index.md"), "---\ntitle: Berita\n---\n", { flag: "wx" });
  }
  const output = join(work, "public");
  const started = process.hrtime.bigint();
  const build = spawnSync(generator, ["build", "--root", site, "--output", output], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(build.stderr);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;

  let files = 0, bytes = 0, gzipped = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else {
        files += 1;
        bytes += statSync(path).size;
        gzipped += gzipSync(readFileSync(path)).length;
      }
    }
  };
  walk(join(output, "pagefind"));
  const html = readdirSync(output, { recursive: true }).filter((f) => f.endsWith("index.html")).length;
  console.log(`${portal ? "portal" : `corpus: ${pages} pages`} (${html} HTML files), built with the search index in ${seconds.toFixed(1)} s`);
  console.log(`index: ${files} files, ${(bytes / 1048576).toFixed(1)} MiB (${(gzipped / 1048576).toFixed(1)} MiB gzipped)`);

  const port = await freePort();
  const server = staticServer(output);
  // Bytes are counted where they leave the server (headers and gzipped bodies, the page's
  // and any worker's requests alike).
  const sockets = new Set();
  let closedBytes = 0;
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => {
      closedBytes += socket.bytesWritten;
      sockets.delete(socket);
    });
  });
  const sent = () => closedBytes + [...sockets].reduce((n, s) => n + s.bytesWritten, 0);
  let requests = 0;
  let paths = [];
  server.on("request", (request) => {
    requests += 1;
    paths.push(new URL(request.url, "http://x").pathname);
  });
  // What each kind of file costs, from the files asked for (text gzipped, as sent).
  const kind = (path) =>
    /\.js$/.test(path) ? "code" : /\.pagefind$/.test(path) ? "wasm" : /pf_meta$/.test(path) ? "meta"
      : /pf_index$/.test(path) ? "index" : /pf_fragment$/.test(path) ? "fragments" : "other";
  const cost = (path) => {
    const body = readFileSync(join(output, path));
    return /\.(js|json)$/.test(path) ? gzipSync(body).length : body.length;
  };
  await new Promise((ok) => server.listen(port, "127.0.0.1", ok));
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: chromiumArgs });
  const results = [];
  for (const query of queries) {
    // A new context: a cold cache, as for a reader's first search.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/cari/`);
    await page.waitForLoadState("networkidle");
    const [bytesBefore, requestsBefore] = [sent(), requests];
    paths = [];
    await page.locator("#cari-q").fill(query);
    await page.locator("#cari-q").press("Enter");
    await page.locator("#cari-status").filter({ hasText: query }).waitFor({ timeout: 60000 });
    await page.waitForLoadState("networkidle");
    const found = await page.locator("#cari-hasil li").count();
    const transferred = sent() - bytesBefore;
    results.push(transferred);
    const parts = {};
    for (const path of paths) parts[kind(path)] = (parts[kind(path)] ?? 0) + cost(path);
    const split = Object.entries(parts).map(([k, v]) => `${k} ${(v / 1024).toFixed(1)}`).join(", ");
    console.log(`first query "${query}": ${(transferred / 1024).toFixed(1)} KB in ${requests - requestsBefore} requests (${split} KB), ${found} results shown`);
    await context.close();
  }
  await browser.close();
  server.close();
  results.sort((a, b) => a - b);
  const median = results[Math.floor(results.length / 2)];
  console.log(`median first query: ${(median / 1024).toFixed(1)} KB (max ${(results.at(-1) / 1024).toFixed(1)} KB); target: under 150 KB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
