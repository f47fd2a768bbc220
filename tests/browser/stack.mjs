// The deployment in miniature, on loopback, for the browser tests: the site built by the
// generator and served as static files (as a CDN would, with its 404 page), the form
// function as its own process on its own origin (`forms-fn serve`, as the Lambda would be),
// and a real SMTP server (aiosmtpd) behind it. Everything is started here and stopped by
// `stop()`, which leaves no process behind.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const binary = (name) => process.env[name.toUpperCase().replace("-", "_")] ?? join(repo, "target/debug", name);

/** The chromium flags this machine needs (no sandbox as root, no calls home). */
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function freePort() {
  return new Promise((ok) => {
    const s = createNetServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Resolves once `child` has written a line containing `text` to stderr. */
export function said(child, text, what) {
  return new Promise((ok, fail) => {
    let log = "";
    child.stderr.on("data", (d) => {
      log += d;
      if (log.includes(text)) ok();
    });
    child.on("exit", (code) => fail(new Error(`${what} exited (${code}): ${log}`)));
  });
}

async function waitForPort(port) {
  const { connect } = await import("node:net");
  for (let i = 0; i < 400; i++) {
    const open = await new Promise((ok) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.end();
        ok(true);
      });
      socket.on("error", () => ok(false));
    });
    if (open) return;
    await new Promise((ok) => setTimeout(ok, 25));
  }
  throw new Error(`nothing listens on ${port}`);
}

/** A copy of the site whose desks have (test) addresses and whose forms post to `endpoint`. */
export function siteCopy(work, base, endpoint) {
  const site = join(work, "site");
  for (const dir of ["content", "templates"]) cpSync(join(repo, dir), join(site, dir), { recursive: true });
  const file = join(site, "content/site.yaml");
  let yaml = readFileSync(file, "utf8");
  yaml = yaml.replace(/^base_url: .*$/m, `base_url: "${base}/"`);
  yaml = yaml.replace(/^  endpoint: .*$/m, `  endpoint: "${endpoint}"`);
  yaml = yaml.replace(/^    ([a-z0-9-]+): \{konfirmasi: .*\}$/gm, "    $1: meja-$1@kpu-ntb.example");
  writeFileSync(file, yaml);
  return site;
}

const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".pdf": "application/pdf",
};

/** Serves `root` as a static host does: `dir/` is `dir/index.html`, misses get 404.html. */
export function staticServer(root, headers = {}) {
  return createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) file = root + "/-";
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!path.endsWith("/")) {
        response.writeHead(301, { location: `${path}/` }).end();
        return;
      }
      file = join(file, "index.html");
    }
    const found = existsSync(file) && statSync(file).isFile();
    let body = readFileSync(found ? file : join(root, "404.html"));
    const type = types[found ? extname(file) : ".html"] ?? "application/octet-stream";
    const head = { "content-type": type, ...headers };
    // Compressed as a CDN would compress text.
    if (/text|xml|svg|json/.test(type) && /\bgzip\b/.test(request.headers["accept-encoding"] ?? "")) {
      body = gzipSync(body);
      head["content-encoding"] = "gzip";
    }
    response.writeHead(found ? 200 : 404, head);
    response.end(request.method === "HEAD" ? undefined : body);
  });
}

/**
 * Starts the stack. `headers`: extra response headers for every static file (a CSP, say);
 * `functionPort`: where the function listens, when the caller must know it first.
 * Returns { base, endpoint, site, output, maildir, outbox, browser, pages(), stop() }.
 */
export async function start({ headers = {}, functionPort } = {}) {
  const work = mkdtempSync(join(tmpdir(), "portal-"));
  const [sitePort, fnPort, smtpPort] = [await freePort(), functionPort ?? (await freePort()), await freePort()];
  const base = `http://127.0.0.1:${sitePort}`;
  const endpoint = `http://127.0.0.1:${fnPort}`;
  const site = siteCopy(work, base, endpoint);
  const output = join(work, "public");
  const build = spawnSync(binary("generator"), ["build", "--root", site, "--output", output], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`generator build failed: ${build.stderr}`);
  const stylesheet = readFileSync(join(output, "index.html"), "utf8").match(/href="(\/css\/[^"]+\.css)"/)?.[1];

  const children = [];
  // Even when the test run itself is stopped, no server outlives it.
  const orphans = () => children.forEach((child) => child.kill());
  process.once("exit", orphans);
  for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => process.exit(1));
  const stop = async () => {
    await browser?.close().catch(() => {});
    orphans();
    process.off("exit", orphans);
    await new Promise((ok) => server.close(ok));
    rmSync(work, { recursive: true, force: true });
  };

  const maildir = join(work, "maildir");
  const python = spawnSync("python3", ["-c", "import aiosmtpd, sys; print(sys.executable)"], { encoding: "utf8" });
  if (python.status !== 0) throw new Error("aiosmtpd is missing: run scripts/test, which installs it");
  const smtp = spawn(python.stdout.trim(), ["-m", "aiosmtpd", "-n", "-l", `127.0.0.1:${smtpPort}`, "-c", "aiosmtpd.handlers.Mailbox", maildir], { stdio: "ignore" });
  children.push(smtp);

  const outbox = join(work, "outbox");
  const fn = spawn(binary("forms-fn"), ["serve", "--port", String(fnPort)], {
    env: {
      ...process.env,
      SITE_DIR: site,
      OUTBOX_DIR: outbox,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      MAIL_FROM: "Formulir KPU Provinsi NTB <formulir@kpu-ntb.example>",
      ALLOWED_ORIGINS: base,
      STYLESHEET_URL: `${base}${stylesheet}`,
      RATE_LIMIT_PER_SOURCE: "100000",
      RATE_LIMIT_PER_FORM: "100000",
      OUTBOX_BUCKET: "",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  children.push(fn);

  const server = staticServer(output, headers);
  await new Promise((ok) => server.listen(sitePort, "127.0.0.1", ok));
  await waitForPort(smtpPort);
  await said(fn, "listening on", "forms-fn serve");
  fn.stderr.resume();

  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: chromiumArgs });

  /**
   * Every page the build wrote for citizens, as a path (`/`, `/layanan/paw/`, ...). Not the
   * content editor (`/admin/`: the office's tool, with its own policy; cms.test.mjs).
   */
  const pages = () => {
    const found = [];
    const walk = (dir, prefix) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory() && `${prefix}${entry.name}/` === "/admin/") continue;
        if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
        else if (entry.name === "index.html" && !isRedirect(join(dir, entry.name))) found.push(prefix);
      }
    };
    walk(output, "/");
    return found.sort();
  };

  return { base, endpoint, site, output, maildir, outbox, browser, pages, stop };
}

/** Alias pages are tiny redirects, not pages (the search page redirects only without
 * JavaScript, from inside <noscript>). */
function isRedirect(file) {
  const html = readFileSync(file, "utf8");
  return html.includes('http-equiv="refresh"') && !html.includes("<noscript>");
}

/** Every message the SMTP server stored. */
export function mails(maildir) {
  return ["new", "cur"].flatMap((d) => {
    const dir = join(maildir, d);
    return existsSync(dir) ? readdirSync(dir).map((f) => readFileSync(join(dir, f), "utf8")) : [];
  });
}

/** One MIME part's text, whatever its transfer encoding (quoted-printable or base64). */
function decodedPart(part) {
  const [head, ...rest] = part.split(/\r?\n\r?\n/);
  const body = rest.join("\n\n");
  if (/Content-Transfer-Encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

/** A stored message's text: every part decoded, in order. */
export function decoded(raw) {
  const boundaries = [...raw.matchAll(/boundary="?([^";\r\n]+)"?/g)].map((m) => m[1]);
  if (!boundaries.length) return decodedPart(raw);
  const split = new RegExp(boundaries.map((b) => `--${b.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:--)?`).join("|"));
  return raw.split(split).map(decodedPart).join("\n");
}

/** Pages are used once their document is parsed (deferred scripts have run), without
 * waiting for every resource on a machine shared by parallel browser tests. */
export const READY = { waitUntil: "domcontentloaded", timeout: 60000 };

/** The messages in `maildir` whose headers contain every one of `parts`, decoded (waits up
 * to 10 s for the first). */
export async function mailWith(maildir, ...parts) {
  for (let i = 0; i < 200; i++) {
    const found = mails(maildir).filter((m) => parts.every((p) => m.split(/\r?\n\r?\n/)[0].includes(p)));
    if (found.length) return found.map(decoded);
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`no mail with ${parts.join(", ")}`);
}

/** The link of a desk's mail for `action` (proses, selesai, ...). */
export function linkFor(mail, action) {
  const link = mail.match(new RegExp(`https?://\\S+/tautan/[A-Z]{3}-[2-9A-Z]{4}-[2-9A-Z]{4}\\.${action}\\.\\S+`));
  if (!link) throw new Error(`no ${action} link in:\n${mail}`);
  return link[0];
}

/** The desk confirms a step from its link, with a note to the citizen, without JavaScript. */
export async function confirmLink(browser, link, note) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(link, READY);
  const heading = await page.locator("h1").innerText();
  if (!/permohonan/.test(heading)) throw new Error(`${link}: ${await page.locator("main").innerText()}`);
  await page.getByLabel(/Catatan untuk pemohon/).fill(note);
  await page.getByRole("button", { name: "Konfirmasi" }).click();
  await page.waitForLoadState();
  const said = await page.locator("main").innerText();
  await context.close();
  if (!/Tindak lanjut tercatat/.test(said)) throw new Error(`${link}: ${said}`);
}

/** axe-core, read once. */
let axeSource;
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** axe-core's WCAG 2.2 A and AA violations on the page as it is now, one line each. */
export async function axeViolations(page) {
  axeSource ??= readFileSync(join(repo, "node_modules/axe-core/axe.min.js"), "utf8");
  await page.evaluate(axeSource);
  return page.evaluate(
    (tags) =>
      globalThis.axe
        .run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] })
        .then((r) => r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`)),
    WCAG,
  );
}

/** Submits the information request on `page` (of the site at `base`) as it is, with an
 * email so the citizen is told of each step; the reference on the receipt. */
export async function submitInformationRequest(page, base) {
  await page.goto(`${base}/formulir/informasi-publik/`, READY);
  await fillRequired(page);
  await page.locator("form[data-formulir] input[type=email]").fill("warga@contoh.id");
  await page.getByRole("button", { name: "Kirim" }).click();
  await page.waitForLoadState();
  const reference = (await page.locator("main").innerText()).match(/INF-[2-9A-Z]{4}-[2-9A-Z]{4}/)?.[0];
  if (!reference) throw new Error(`no reference on the receipt: ${await page.locator("main").innerText()}`);
  return reference;
}

/** A date `days` ahead that falls on a working day, as YYYY-MM-DD (WITA). */
export function workingDayAhead(days) {
  const d = new Date(Date.now() + 8 * 3600e3 + days * 86400e3);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** A small but real PDF: enough for the function's type check. */
export const PDF = Buffer.from("%PDF-1.4\n% lampiran uji\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

/** Fills every required control of the form on `page` with an answer its rules accept. */
export async function fillRequired(page) {
  for (const input of await page.locator("form[data-formulir] [required]").all()) {
    const type = await input.getAttribute("type");
    const tag = await input.evaluate((el) => el.tagName.toLowerCase());
    if (tag === "textarea") await input.fill("Uraian uji yang cukup panjang untuk memenuhi batas paling sedikit tiga puluh huruf.");
    else if (tag === "select") await input.selectOption({ index: 1 });
    else if (type === "checkbox") await input.check();
    else if (type === "email") await input.fill("warga@contoh.id");
    else if (type === "tel") await input.fill("0812 3456 7890");
    else if (type === "number") await input.fill((await input.getAttribute("min")) ?? "1");
    else if (type === "date") await input.fill(workingDayAhead((await input.getAttribute("data-tanggal")) === "lampau" ? -30 : 30));
    else if (type === "file") await input.setInputFiles({ name: "bukti.pdf", mimeType: "application/pdf", buffer: PDF });
    else if ((await input.getAttribute("name")) === "nik") await input.fill("5271010101900001");
    else await input.fill("Warga Uji");
  }
  for (const set of await page.locator("form[data-formulir] fieldset.pilihan").all()) {
    if ((await set.locator("legend").innerText()).includes("(wajib)")) await set.locator("input").first().check();
  }
}
