// The live log in a real browser: bounded rows, one DOM batch per animation frame, one layout for
// a burst, the backlog merged without duplicates after a reconnect, filter, pause, clear, download.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { advance, frame, launch, openPage, settle, startServer } from "./harness.mjs";

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const rows = (page) => page.evaluate(() => window.T.root().querySelectorAll(".log .row").length);
const rowTexts = (page) =>
  page.evaluate(() => [...window.T.root().querySelectorAll(".log .row .x")].map((x) => x.textContent));

/** Push `batches` batches of `size` entries in one task (a burst), numbered from `start`. */
function burst(page, batches, size, start = 0, level = "info") {
  return page.evaluate(
    ([b, s, from, lvl]) => {
      let n = from;
      for (let i = 0; i < b; i += 1) {
        window.T.server.log(
          "furby000",
          Array.from({ length: s }, () => ({ level: lvl, kind: "reply", text: `entry ${n++}`, data: { characteristic: "nordic", hex: "09 00" } })),
        );
      }
    },
    [batches, size, start, level],
  );
}

async function withCard(config = {}) {
  const opened = await openPage(browser, server.url);
  await opened.page.evaluate((c) => window.T.add({ device_id: "furby000", ...c }), config);
  await settle(opened.page);
  await frame(opened.page);
  return opened;
}

const viewSize = async (page) => Number((await page.locator(".log-toolbar .stats").textContent()).match(/^(\d+) rows/)[1]);

test("a burst of 2,000 entries in 100 batches: one DOM batch, one layout, bounded rows, the newest shown", async () => {
  const { page, context, errors } = await withCard({ log_rows: 200 });
  await page.locator(".log").scrollIntoViewIfNeeded();
  await burst(page, 1, 200, -200); // a full view first, so the burst has to trim
  await settle(page);
  await frame(page);
  assert.equal(await viewSize(page), 200);
  // The DOM holds the rows that fit in the log's box (+1 for a partly visible row), no more.
  const domRows = await page.locator(".log").evaluate((box) => Math.ceil(box.clientHeight / 18) + 1);
  assert.ok((await rows(page)) <= domRows, `only the rows that fit in the box are in the DOM (at most ${domRows})`);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  const layouts = async () => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "LayoutCount").value;
  // Watch the log's DOM: in which animation frame each change happens.
  await page.evaluate(() => {
    const box = window.T.root().querySelector(".log");
    const watch = { frame: 0, batches: [], maxRows: 0 };
    const tick = () => {
      watch.frame += 1;
      watch.raf = requestAnimationFrame(tick);
    };
    tick();
    watch.observer = new MutationObserver((records) => {
      watch.batches.push({ frame: watch.frame, records: records.length });
      watch.maxRows = Math.max(watch.maxRows, box.querySelectorAll(".row").length);
    });
    watch.observer.observe(box, { childList: true, subtree: true, characterData: true, attributes: true });
    window.W = watch;
  });
  const layoutsBefore = await layouts();
  await burst(page, 100, 20);
  await settle(page);
  await frame(page, 3);
  const layoutsAfter = await layouts();
  const watch = await page.evaluate(() => ({ batches: window.W.batches, maxRows: window.W.maxRows }));
  assert.equal(await viewSize(page), 200, "the view holds log_rows entries");
  assert.ok(watch.maxRows <= domRows, `the DOM never held more rows (saw ${watch.maxRows})`);
  assert.equal((await rowTexts(page)).at(-1), "entry 1999", "the newest entry is in sight");
  const frames = new Set(watch.batches.map((b) => b.frame));
  assert.equal(frames.size, watch.batches.length, "at most one DOM batch per animation frame");
  assert.ok(watch.batches.length <= 2, `${watch.batches.length} DOM batches for 100 server batches`);
  const layoutCount = layoutsAfter - layoutsBefore;
  console.log(
    `burst of 2,000 entries in 100 batches: ${watch.batches.length} DOM batch(es), ${layoutCount} layout(s), ` +
      `at most ${watch.maxRows} rows in the DOM for a view of 200`,
  );
  assert.ok(layoutCount <= 4, `${layoutCount} layouts for 2,000 entries`);
  // The oldest entry of the view is there when the reader scrolls to the top.
  await page.locator(".log").evaluate((box) => {
    box.scrollTop = 0;
  });
  await frame(page, 3);
  assert.equal((await rowTexts(page))[0], "entry 1800");

  // A steady flood while the reader has scrolled up to the middle: the entry they read stays in
  // place while old ones leave the front, the DOM stays the same size, one batch per frame.
  await page.locator(".log").evaluate((box) => {
    box.scrollTop = 100 * 18;
  });
  await frame(page, 3);
  assert.equal((await rowTexts(page))[0], "entry 1900");
  await page.evaluate(() => {
    window.W.batches = [];
  });
  for (let i = 0; i < 30; i += 1) {
    await burst(page, 1, 1, 2000 + i);
    await frame(page, 1);
  }
  await frame(page, 2);
  const flood = await page.evaluate(() => ({ batches: window.W.batches, maxRows: window.W.maxRows }));
  assert.ok(flood.maxRows <= domRows);
  const perFrame = new Map();
  for (const b of flood.batches) perFrame.set(b.frame, (perFrame.get(b.frame) ?? 0) + 1);
  assert.ok([...perFrame.values()].every((n) => n === 1), "one batch per frame during the flood");
  assert.equal((await rowTexts(page))[0], "entry 1900", "the reader's place is kept");
  assert.equal(await viewSize(page), 200);
  // Back at the bottom, the view follows the newest entry again.
  await page.locator(".log").evaluate((box) => {
    box.scrollTop = box.scrollHeight;
  });
  await frame(page, 2);
  await burst(page, 1, 5, 3000);
  await settle(page);
  await frame(page, 2);
  assert.equal((await rowTexts(page)).at(-1), "entry 3004");
  assert.deepEqual(errors, []);
  await context.close();
});

test("entries are text, never markup", async () => {
  const { page, context, errors } = await withCard();
  await page.evaluate(() => window.T.server.log("furby000", [{ text: '<img src=x onerror="window.pwned=1">' }]));
  await settle(page);
  await frame(page);
  assert.equal(await page.evaluate(() => window.T.root().querySelectorAll(".log img").length), 0);
  assert.equal((await rowTexts(page)).at(-1), '<img src=x onerror="window.pwned=1">');
  assert.deepEqual(errors, []);
  await context.close();
});

test("after a reconnect the backlog adds only unseen entries; a dropped marker shows the loss", async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  await burst(page, 1, 10); // in the server's backlog before the card exists
  await page.evaluate(() => window.T.add({ device_id: "furby000" }));
  await settle(page);
  await frame(page);
  assert.equal(await rows(page), 10, "the backlog is shown");
  await page.evaluate(() => window.T.connection.drop());
  await burst(page, 1, 5, 10); // logged while the card is disconnected
  await page.evaluate(() => window.T.connection.restore());
  await advance(page, 1000);
  await frame(page);
  const texts = await rowTexts(page);
  assert.deepEqual(texts, Array.from({ length: 15 }, (_, i) => `entry ${i}`), "no duplicates, nothing missing");
  await page.evaluate(() => window.T.server.dropped("furby000", 42));
  await settle(page);
  await frame(page);
  assert.match((await rowTexts(page)).at(-1), /42 log entries dropped/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("level filter, pause, clear and download", async () => {
  const { page, context, errors } = await withCard();
  await burst(page, 1, 3, 0, "debug");
  await burst(page, 1, 2, 3, "warning");
  await burst(page, 1, 1, 5, "error");
  await settle(page);
  await frame(page);
  assert.equal(await rows(page), 6);

  await page.locator("#log-level").selectOption("warning");
  await frame(page);
  assert.deepEqual(await rowTexts(page), ["entry 3", "entry 4", "entry 5"]);
  await page.locator("#log-level").selectOption("debug");
  await frame(page);
  assert.equal(await rows(page), 6);

  const pause = page.getByRole("button", { name: "Pause" });
  await pause.focus();
  await page.keyboard.press("Enter"); // keyboard works
  await burst(page, 1, 4, 6);
  await settle(page);
  await frame(page);
  assert.equal(await rows(page), 6, "paused: rows stay");
  assert.match(await page.locator(".log-toolbar .stats").textContent(), /4 new while paused/);
  assert.equal(await page.getByRole("button", { name: "Resume" }).getAttribute("aria-pressed"), "true");
  await page.getByRole("button", { name: "Resume" }).click();
  await frame(page);
  assert.equal(await rows(page), 10, "resumed: the entries that came meanwhile are shown");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download" }).click()]);
  assert.match(download.suggestedFilename(), /^furby-log-.*\.tsv$/);
  const lines = (await readFile(await download.path(), "utf8")).trim().split("\n");
  assert.equal(lines[0], "time\tlevel\tkind\tfurby\ttext\tbytes");
  assert.equal(lines.length, 11);
  assert.equal(lines[10], "2026-11-27T14:03:00.000Z\tinfo\treply\tFurby (8900)\tentry 9\tnordic 09 00");
  assert.ok(lines.slice(1).every((l) => l.endsWith("\tnordic 09 00")));

  await page.getByRole("button", { name: "Clear" }).click();
  await frame(page);
  assert.equal(await rows(page), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
