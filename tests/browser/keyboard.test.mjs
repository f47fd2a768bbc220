// Keyboard-only journeys through three forms (information request, complaint, internship) in
// chromium against the deployment in miniature: the tab order follows the visual order,
// focus is always visible, every control is reachable and operable, a failed submit puts
// focus on the error summary whose links lead to the fields, and the form is sent, all
// with the keyboard alone (no click, no `fill`).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { PDF, mails, start, workingDayAhead } from "./stack.mjs";

let stack;

before(async () => {
  stack = await start();
});

after(async () => {
  await stack?.stop();
});

/** What has focus now: where it is, whether its focus indicator shows, and what it is. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const shadow = style.boxShadow !== "none";
    const box = el.getBoundingClientRect();
    const group = el.closest("fieldset.pilihan");
    return {
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute("type") ?? "",
      name: el.getAttribute("name") ?? "",
      min: el.getAttribute("min"),
      past: el.dataset.tanggal === "lampau",
      id: el.id,
      label: (el.labels?.[0]?.textContent ?? el.textContent ?? "").trim().slice(0, 50),
      inForm: !!el.closest("form[data-formulir]"),
      submit: el.matches('form[data-formulir] [type="submit"], form[data-formulir] button:not([type])'),
      required: el.required || !!group?.querySelector("legend")?.textContent.includes("(wajib)"),
      visible: outline || shadow,
      style: `${style.outlineStyle} ${style.outlineWidth} / ${style.boxShadow}`,
      top: box.top + window.scrollY,
      left: box.left + window.scrollX,
      width: box.width,
      height: box.height,
    };
  });
}

/**
 * Presses Tab until `until(focus)` holds; returns every focus on the way (at most 400). A
 * stop whose focus the page's styles do not show (a date field's own calendar button, drawn
 * by the browser) counts as visible when the field looks different once focus has left it.
 */
async function tabUntil(page, until) {
  const seen = [];
  let unsure = null;
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press("Tab");
    if (unsure) {
      const after = await page.screenshot({ clip: unsure.clip, fullPage: true });
      unsure.focus.visible = !after.equals(unsure.shot);
      unsure = null;
    }
    const f = await focused(page);
    if (!f) continue;
    seen.push(f);
    if (!f.visible) {
      const clip = { x: Math.max(0, f.left - 8), y: Math.max(0, f.top - 8), width: f.width + 16, height: f.height + 16 };
      unsure = { focus: f, clip, shot: await page.screenshot({ clip, fullPage: true }) };
    }
    if (until(f)) return seen;
  }
  throw new Error(`never reached; last: ${JSON.stringify(seen.at(-1))}`);
}

/** A date as the en-US date field takes it from the keyboard: MMDDYYYY. */
function typedDate(iso) {
  const [y, m, d] = iso.split("-");
  return `${m}${d}${y}`;
}

/** Answers the focused control with keys alone, when it needs an answer. */
async function answer(page, f) {
  if (!f.required) return;
  const k = page.keyboard;
  if (f.tag === "textarea") await k.type("Uraian uji yang cukup panjang untuk memenuhi batas paling sedikit tiga puluh huruf.");
  else if (f.tag === "select") await k.press("ArrowDown");
  else if (f.type === "checkbox" || f.type === "radio") await k.press("Space");
  else if (f.type === "email") await k.type("warga@contoh.id");
  else if (f.type === "tel") await k.type("081234567890");
  else if (f.type === "number") await k.type(f.min ?? "1");
  else if (f.type === "date") await k.type(typedDate(workingDayAhead(f.past ? -30 : 30)));
  else if (f.type === "file") {
    // Space opens the file chooser; on a loaded machine chromium now and then drops that
    // key press, so Enter (which opens it too, from the keyboard alone) is tried next.
    let chooser = await Promise.all([page.waitForEvent("filechooser", { timeout: 10000 }), k.press("Space")])
      .then(([c]) => c)
      .catch(() => null);
    if (!chooser) [chooser] = await Promise.all([page.waitForEvent("filechooser"), k.press("Enter")]);
    await chooser.setFiles({ name: "bukti.pdf", mimeType: "application/pdf", buffer: PDF });
  } else await k.type("Warga Uji");
}

for (const id of ["informasi-publik", "pengaduan", "magang"]) {
  test(`keyboard only: ${id}`, async () => {
    const context = await stack.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    const page = await context.newPage();
    await page.goto(`${stack.base}/formulir/${id}/`);

    // The whole page in tab order, down to the form's button.
    const order = await tabUntil(page, (f) => f.submit);
    const hidden = order.filter((f) => !f.visible).map((f) => `${f.tag} ${f.name || f.label}: ${f.style}`);
    assert.deepEqual(hidden, [], "focus is visible on every stop");
    const inForm = order.filter((f) => f.inForm);
    for (let i = 1; i < inForm.length; i++) {
      const [a, b] = [inForm[i - 1], inForm[i]];
      const sameRow = Math.abs(a.top - b.top) < 8;
      assert.ok(b.top > a.top || (sameRow && b.left >= a.left), `tab order follows the page: ${a.name || a.label} → ${b.name || b.label}`);
    }
    // Every control of the form is reached (a group of options once, as a group).
    const controls = await page.locator("form[data-formulir]").evaluate((form) =>
      [...new Set([...form.querySelectorAll("input, select, textarea, button")]
        .filter((el) => el.type !== "hidden" && !el.closest(".madu") && el.getClientRects().length > 0)
        .map((el) => el.name || el.textContent.trim()))],
    );
    const reached = new Set(inForm.map((f) => f.name || f.label));
    assert.deepEqual(controls.filter((c) => !reached.has(c)), [], "every control is reachable");
    assert.equal(order.filter((f) => f.name === "situs_web").length, 0, "the honeypot is not in the tab order");

    // Sent empty with Enter: focus goes to the error summary, whose links lead to the fields.
    await page.keyboard.press("Enter");
    const summary = page.locator(".ringkasan-galat");
    await summary.waitFor({ state: "visible" });
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains("ringkasan-galat")), true, "the summary has focus");
    const links = await summary.locator("a").count();
    assert.ok(links > 0, "the summary links to the fields");
    await page.keyboard.press("Tab");
    const target = await page.evaluate(() => document.activeElement.getAttribute("href"));
    await page.keyboard.press("Enter");
    const landed = await page.evaluate((href) => {
      const field = document.querySelector(href);
      return field === document.activeElement || field.contains(document.activeElement);
    }, target);
    assert.ok(landed, `Enter on ${target} puts focus on that field`);

    // From the top again: every required control answered with keys, then Enter on Kirim.
    await page.reload();
    let f;
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press("Tab");
      f = await focused(page);
      if (!f?.inForm) continue;
      if (f.submit) break;
      if (f.type === "radio") {
        // One stop per group: the first option, chosen with Space.
        await answer(page, f);
        continue;
      }
      await answer(page, f);
    }
    assert.ok(f?.submit, "reached the button");
    await page.keyboard.press("Enter");
    const receipt = page.locator(".tanda-terima");
    await page.locator(".tanda-terima, .ringkasan-galat:not([hidden])").first().waitFor({ timeout: 15000 });
    if (!(await receipt.isVisible())) assert.fail(`not sent: ${await page.locator(".ringkasan-galat").innerText()}`);
    const reference = (await receipt.innerText()).match(/[A-Z]{3}-[2-9A-Z]{4}-[2-9A-Z]{4}/)?.[0];
    assert.ok(reference, "the receipt shows the reference");
    for (let i = 0; i < 200 && !mails(stack.maildir).some((m) => m.includes(`[${reference}]`)); i++) {
      await new Promise((ok) => setTimeout(ok, 50));
    }
    assert.ok(mails(stack.maildir).some((m) => m.includes(`Subject: [${reference}]`)), "the desk got it");
    await context.close();
  });
}
