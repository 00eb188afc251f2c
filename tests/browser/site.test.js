// Drives a generated opsbook site in headless Chromium (Debian's /usr/bin/chromium; no
// browser is ever downloaded): the overview, a service page and the findings page load from
// file:// without console errors, typing in the search box shows results, a findings filter
// hides rows, and the pages still work with JavaScript off. Screenshots go to OUTDIR.
// usage: node tests/browser/site.test.js SITE_DIR SCREENSHOT_DIR
"use strict";
const path = require("path");
const fs = require("fs");
const { chromium } = require("playwright-core");

const site = path.resolve(process.argv[2] || "build/site");
const shots = path.resolve(process.argv[3] || "build/screenshots");
fs.mkdirSync(shots, { recursive: true });
const url = (p) => "file://" + path.join(site, p);
let failures = 0;
function check(ok, what) {
  console.log((ok ? "ok   " : "FAIL ") + what);
  if (!ok) failures++;
}

async function open(context, p, errors) {
  const page = await context.newPage();
  page.on("console", (m) => { if (m.type() === "error") errors.push(p + ": " + m.text()); });
  page.on("pageerror", (e) => errors.push(p + ": " + e.message));
  page.on("requestfailed", (r) => errors.push(p + ": failed to load " + r.url()));
  page.on("request", (r) => {
    if (!r.url().startsWith("file://")) errors.push(p + ": network request " + r.url());
  });
  await page.goto(url(p));
  await page.waitForLoadState("load");
  return page;
}

(async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  try {
    // Overview
    let page = await open(context, "index.html", errors);
    check((await page.title()).length > 0, "overview has a title");
    await page.screenshot({ path: path.join(shots, "overview.png"), fullPage: true });

    // Search: a name from the index, typed into the header box.
    const name = await page.evaluate(() => {
      const ix = window.OPSBOOK_INDEX || [];
      const pick = ix.find((e) => e[0] === "service") || ix.find((e) => e[0] === "doc") || ix[0];
      return pick ? pick[1] : "";
    });
    check(name.length > 0, "the search index is loaded (" + name + ")");
    await page.fill("#search-input", name.slice(0, Math.min(8, name.length)));
    await page.waitForSelector("#search-results li a", { state: "visible", timeout: 5000 });
    const hits = await page.$$eval("#search-results li a", (as) => as.length);
    check(hits > 0, "typing in search shows " + hits + " result(s)");
    await page.screenshot({ path: path.join(shots, "search.png") });
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    check(!page.url().endsWith("/index.html"), "Enter opens the first result: " + page.url());

    // A service page (or a pipeline or doc page when the repository has no services).
    page = await open(context, "index.html", errors);
    const target = await page.evaluate(() => {
      const sel = ['a[href^="svc/"]', 'a[href^="wf/"]', 'a[href^="doc/"]'];
      for (const s of sel) { const a = document.querySelector(s); if (a) return a.getAttribute("href"); }
      return null;
    });
    check(target !== null, "the overview links to an entity page");
    if (target) {
      page = await open(context, target, errors);
      const h1 = await page.$eval("h1", (h) => h.textContent);
      check(h1.length > 0, target + " renders (" + h1 + ")");
      await page.screenshot({ path: path.join(shots, "service.png"), fullPage: true });
    }
    for (const [sel, file] of [['a[href^="env/"]', "environment.png"], ['a[href^="doc/"]', "doc.png"]]) {
      page = await open(context, "index.html", errors);
      const href = await page.evaluate((s) => { const a = document.querySelector(s); return a && a.getAttribute("href"); }, sel);
      if (href) {
        page = await open(context, href, errors);
        await page.screenshot({ path: path.join(shots, file), fullPage: true });
      }
    }
    const wf = fs.existsSync(path.join(site, "wf")) ? fs.readdirSync(path.join(site, "wf")).sort()[0] : null;
    if (wf) {
      page = await open(context, "wf/" + wf, errors);
      check((await page.$$("figure.graph svg")).length > 0, "the pipeline page draws its job graph");
      await page.screenshot({ path: path.join(shots, "pipeline.png"), fullPage: true });
    }
    const src = fs.readdirSync(path.join(site, "src")).sort()[0];
    page = await open(context, "src/" + src, errors);
    await page.screenshot({ path: path.join(shots, "source.png") });

    // Findings: the filters appear with JavaScript and hide rows.
    page = await open(context, "findings.html", errors);
    const total = await page.$$eval("table[data-filterable] tbody tr", (r) => r.length);
    check(total > 0, "the findings page lists " + total + " findings");
    check(await page.isVisible("form[data-filters]"), "the filters are shown");
    const pick = await page.evaluate(() => {
      const rows = [...document.querySelectorAll("table[data-filterable] tbody tr")];
      const n = {};
      rows.forEach((r) => { const v = r.getAttribute("data-sev"); n[v] = (n[v] || 0) + 1; });
      const v = Object.keys(n).sort((a, b) => n[a] - n[b])[0];
      return { v, count: n[v], distinct: Object.keys(n).length };
    });
    if (pick.distinct > 1) {
      await page.selectOption('select[data-filter="sev"]', pick.v);
    } else {
      const p = await page.$eval("table[data-filterable] tbody tr", (r) => r.getAttribute("data-path"));
      await page.fill('input[data-filter="path"]', p);
    }
    const shown = await page.$$eval("table[data-filterable] tbody tr", (rs) => rs.filter((r) => !r.hidden).length);
    check(shown > 0 && shown < total, "a filter hides rows (" + shown + " of " + total + " shown)");
    await page.screenshot({ path: path.join(shots, "findings.png") });
    page = await open(context, "findings.html?sev=error", errors);
    const errs = await page.$$eval("table[data-filterable] tbody tr", (rs) => rs.filter((r) => !r.hidden).map((r) => r.getAttribute("data-sev")));
    check(errs.every((s) => s === "error"), "?sev=error preselects the filter");

    // Dark mode.
    page = await open(context, "index.html", errors);
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: path.join(shots, "overview-dark.png") });

    // Without JavaScript every row is there and links still work.
    const nojs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    page = await open(nojs, "findings.html", errors);
    const visible = await page.$$eval("table.findings tbody tr", (rs) => rs.length);
    check(visible === total, "without JavaScript all " + visible + " findings are listed");
    page = await open(nojs, "search.html", errors);
    const listed = await page.$$eval("table[data-searchlist] tbody tr", (rs) => rs.length);
    check(listed > 0, "without JavaScript the search page lists " + listed + " entries");
    await nojs.close();

    check(errors.length === 0, "no console errors or network requests" +
          (errors.length ? ":\n  " + errors.join("\n  ") : ""));
  } catch (e) {
    console.log("FAIL " + (e && e.stack || e));
    failures++;
  } finally {
    await browser.close();
  }
  console.log(failures ? failures + " check(s) failed" : "screenshots in " + shots);
  process.exit(failures ? 1 : 0);
})();
