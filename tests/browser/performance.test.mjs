// Speed as a citizen on a weak signal meets it, in Debian's chromium against the site served
// as static files (tests/browser/stack.mjs):
// - first contentful paint of the home page and a service page on a cold cache under slow 3G
//   and under 2G (EDGE) network emulation, printed, and under 3 s;
// - Lighthouse 12.2.3 (mobile profile, its own throttling) on the home page, a service page
//   and a form page: performance, accessibility, best practices and SEO each at least 95,
//   the four scores printed per page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import lighthouse from "lighthouse";
import { chromium } from "playwright-core";
import { chromiumArgs, freePort, start } from "./stack.mjs";

let stack;

before(async () => {
  stack = await start();
});

after(async () => {
  await stack?.stop();
});

// WebPageTest's "3G Slow": 400 ms round trip, 400 kbit/s down and up. Chromium's DevTools
// preset of the same name adds 2 s to every request, which no page with a separate
// stylesheet can paint under 3 s with (two requests in a row): printed for reference.
const SLOW_3G = { offline: false, latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 };
// 2G (EDGE) as in NTB's weak-signal areas: 800 ms round trip, 250 kbit/s down and up.
const EDGE = { offline: false, latency: 800, downloadThroughput: 250_000 / 8, uploadThroughput: 250_000 / 8 };
const DEVTOOLS_SLOW_3G = { offline: false, latency: 2000, downloadThroughput: (500_000 / 8) * 0.8, uploadThroughput: (500_000 / 8) * 0.8 };

/** First contentful paint (ms) and bytes transferred for `path` on a cold cache. */
async function coldPaint(path, conditions) {
  const context = await stack.browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", conditions);
  let bytes = 0;
  cdp.on("Network.loadingFinished", (e) => (bytes += e.encodedDataLength));
  await page.goto(stack.base + path, { waitUntil: "load", timeout: 60000 });
  const fcp = await page.evaluate(
    () =>
      new Promise((found) => {
        new PerformanceObserver((list) => {
          const paint = list.getEntriesByName("first-contentful-paint")[0];
          if (paint) found(paint.startTime);
        }).observe({ type: "paint", buffered: true });
        setTimeout(() => found(NaN), 10000);
      }),
  );
  await context.close();
  return { fcp, bytes };
}

test("home and service pages paint in under 3 s on slow 3G with a cold cache", async () => {
  for (const path of ["/", "/layanan/informasi-publik/"]) {
    const slow = await coldPaint(path, SLOW_3G);
    const devtools = await coldPaint(path, DEVTOOLS_SLOW_3G);
    console.log(
      `${path}: first contentful paint ${Math.round(slow.fcp)} ms on slow 3G (400 ms RTT, 400 kbit/s; ${(slow.bytes / 1024).toFixed(1)} KiB transferred); ${Math.round(devtools.fcp)} ms with DevTools' preset (2 s a request)`,
    );
    assert.ok(slow.fcp > 0 && slow.fcp < 3000, `${path}: ${slow.fcp} ms`);
  }
});

test("home and service pages paint in under 3 s on 2G (EDGE) with a cold cache", async () => {
  for (const path of ["/", "/layanan/informasi-publik/"]) {
    const edge = await coldPaint(path, EDGE);
    console.log(
      `${path}: first contentful paint ${Math.round(edge.fcp)} ms on 2G/EDGE (800 ms RTT, 250 kbit/s; ${(edge.bytes / 1024).toFixed(1)} KiB transferred)`,
    );
    assert.ok(edge.fcp > 0 && edge.fcp < 3000, `${path}: ${edge.fcp} ms`);
  }
});

test("Lighthouse (mobile) scores at least 95 in every category on three page types", async () => {
  const port = await freePort();
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: [...chromiumArgs, `--remote-debugging-port=${port}`] });
  const low = [];
  try {
    for (const path of ["/", "/layanan/informasi-publik/", "/formulir/pengaduan/"]) {
      const result = await lighthouse(stack.base + path, {
        port,
        logLevel: "error",
        output: "json",
        onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
      });
      const scores = Object.fromEntries(Object.values(result.lhr.categories).map((c) => [c.id, Math.round(c.score * 100)]));
      console.log(`${path}: ${Object.entries(scores).map(([k, v]) => `${k} ${v}`).join(", ")}`);
      for (const [category, score] of Object.entries(scores)) {
        if (score < 95) {
          const failing = Object.values(result.lhr.audits)
            .filter((a) => a.score !== null && a.score < 0.9 && result.lhr.categories[category].auditRefs.some((r) => r.id === a.id && r.weight > 0))
            .map((a) => a.id);
          low.push(`${path} ${category} ${score}: ${failing.join(", ")}`);
        }
      }
    }
  } finally {
    await browser.close();
  }
  assert.deepEqual(low, []);
});
