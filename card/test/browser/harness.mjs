// Shared pieces of the browser tests: a static server for the test page (127.0.0.1 only), Debian's
// Chromium driven by playwright-core, and a page with the fake clock and the mock hass.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = join(here, "../../..");
const PAGE = join(here, "../page");
export const BUNDLE = join(REPO, "custom_components/furby_connect/frontend/furby-connect-card.js");
const CATALOG = join(REPO, "custom_components/furby_connect/protocol/data/catalog.json.gz");
export const SCREENSHOTS = join(REPO, ".cache/card-screenshots");

/** The shipped catalog in the websocket contract's shape. */
export async function contractCatalog() {
  const data = JSON.parse(gunzipSync(await readFile(CATALOG)).toString("utf8"));
  const actions = data.actions.map(([input, index, subindex, specific, category, description]) => [
    input,
    index,
    subindex,
    specific,
    typeof category === "number" ? data.categories[category] : category,
    description,
  ]);
  return { actions, names: data.names };
}

/** Serve the test page, the mock, the committed bundle and the catalog on 127.0.0.1. */
export async function startServer() {
  const catalog = JSON.stringify(await contractCatalog());
  const routes = {
    "/": [join(PAGE, "index.html"), "text/html"],
    "/mock-hass.js": [join(PAGE, "mock-hass.js"), "text/javascript"],
    "/furby-connect-card.js": [BUNDLE, "text/javascript"],
  };
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://127.0.0.1").pathname;
    try {
      if (path === "/catalog.json") {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(catalog);
      }
      if (path === "/favicon.ico") {
        res.writeHead(204);
        return res.end();
      }
      const route = routes[path];
      if (!route) {
        res.writeHead(404);
        return res.end();
      }
      res.writeHead(200, { "content-type": route[1], "cache-control": "no-store" });
      return res.end(await readFile(route[0]));
    } catch (err) {
      res.writeHead(500);
      return res.end(String(err));
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** Headless Chromium (playwright-core gives every launch a fresh temporary profile). */
export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

const CLOCK = join(PAGE, "fake-clock.js");

/**
 * A page with the fake clock and the mock set up (`count` Furbies) and the card module loaded.
 * `errors` collects uncaught exceptions and unhandled rejections; tests assert it stays empty.
 */
export async function openPage(browser, url, { count = 1, darkMode = false, width = 800, height = 900, load = true } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, acceptDownloads: true });
  await context.addInitScript({ path: CLOCK });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (err) => errors.push(String(err)));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  await page.goto(url);
  await page.evaluate((opts) => window.T.setup(opts), { count, darkMode });
  if (load) await page.evaluate(() => window.T.load());
  return { page, context, errors };
}

/** Advance the page's virtual clock. */
export function advance(page, ms) {
  return page.evaluate((n) => window.__clock.advance(n), ms);
}

/** Let queued messages, promise chains and renders finish (no virtual time passes). */
export function settle(page) {
  return page.evaluate(() => window.__clock.settle(5));
}

/** Wait for one real animation frame in the page (the log renders once per frame). */
export function frame(page, n = 2) {
  return page.evaluate(
    (k) =>
      new Promise((resolve) => {
        const step = (left) => (left === 0 ? resolve() : requestAnimationFrame(() => step(left - 1)));
        step(k);
      }),
    n,
  );
}

/** Subscriptions the mock server holds, optionally of one kind and Furby. */
export function serverSubs(page, kind, deviceId) {
  return page.evaluate(([k, d]) => window.T.server.count(k, d), [kind ?? null, deviceId ?? null]);
}

export function ensureScreenshotDir() {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return SCREENSHOTS;
}

/** The mock server's and connection's counters, for assertions. */
export function probe(page) {
  return page.evaluate(() => {
    const { server, connection } = window.T;
    return {
      log: server.count("log"),
      status: server.count("status"),
      listeners: connection.listenerCount(),
      maxHeld: server.maxHeld(),
      staleUnsubCalls: server.staleUnsubCalls,
      unsubscribeNotFound: server.unsubscribeNotFound,
      subscribeRequests: server.subscribeLog.length,
      allResubscribeFalse: server.options.every((o) => o && o.resubscribe === false),
      catalogCalls: server.catalogCalls,
      now: window.__clock.now(),
    };
  });
}

/** The card's live-updates notice ("" when live). */
export function feedText(page, i = 0) {
  return page.evaluate((n) => window.T.root(n).querySelector(".feed")?.textContent.trim() ?? "", i);
}
