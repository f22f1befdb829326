// 100 cards on one page lose Home Assistant at the same moment: their first retries must spread
// over the first backoff window (full jitter), not arrive together.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { advance, launch, openPage, probe, settle, startServer } from "./harness.mjs";

const CARDS = 100;
const WINDOW_MS = 1000;

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

test("100 cards spread their first retries after an outage over the 1 s window, then hold one of each", async () => {
  const { page, context, errors } = await openPage(browser, server.url, { count: CARDS, height: 600 });
  await page.evaluate((n) => {
    for (let i = 0; i < n; i += 1) window.T.add({ device_id: `furby${String(i).padStart(3, "0")}` });
  }, CARDS);
  await settle(page);
  let p = await probe(page);
  assert.equal(p.log, CARDS);
  assert.equal(p.status, CARDS);

  // The outage: the socket drops, Home Assistant comes back, every card must resubscribe.
  const before = p.subscribeRequests;
  const restoredAt = await page.evaluate(() => {
    window.T.connection.drop();
    window.T.connection.restore();
    return window.__clock.now();
  });
  await advance(page, WINDOW_MS + 50);
  const retries = await page.evaluate(
    ([from, kind]) => window.T.server.subscribeLog.slice(from).filter((s) => s.kind === kind),
    [before, "log"],
  );
  const statusRetries = await page.evaluate(
    ([from, kind]) => window.T.server.subscribeLog.slice(from).filter((s) => s.kind === kind),
    [before, "status"],
  );
  // The first retry of each card's log subscription, relative to the reconnect.
  const firstByCard = new Map();
  for (const r of retries) if (!firstByCard.has(r.deviceId)) firstByCard.set(r.deviceId, r.time - restoredAt);
  const delays = [...firstByCard.values()].sort((a, b) => a - b);
  assert.equal(delays.length, CARDS, "every card retried within the first window");
  const spread = delays[delays.length - 1] - delays[0];
  const buckets = new Array(10).fill(0);
  for (const d of delays) buckets[Math.min(9, Math.floor(d / (WINDOW_MS / 10)))] += 1;
  const distinct = new Set(delays.map((d) => Math.round(d))).size;
  const median = delays[Math.floor(delays.length / 2)];
  console.log(
    `100-card first-retry spread (log subscription): min ${delays[0].toFixed(1)} ms, median ${median.toFixed(1)} ms, ` +
      `max ${delays[delays.length - 1].toFixed(1)} ms, spread ${spread.toFixed(1)} ms of a ${WINDOW_MS} ms window; ` +
      `${distinct} distinct ms values; per 100 ms: ${buckets.join(" ")}`,
  );
  const statusDelays = statusRetries.map((r) => r.time - restoredAt);
  const statusSpread = Math.max(...statusDelays) - Math.min(...statusDelays);
  console.log(`100-card first-retry spread (status subscription): ${statusSpread.toFixed(1)} ms`);
  assert.ok(delays[0] >= 0 && delays[delays.length - 1] < WINDOW_MS, "all inside [0, 1000) ms");
  // With 100 independent uniform draws, a spread under 700 ms has probability below 1e-13.
  assert.ok(spread >= 700, `spread ${spread} ms`);
  assert.ok(buckets.filter((n) => n > 0).length >= 9, `buckets ${buckets}`);
  assert.ok(Math.max(...buckets) <= 30, "no clump: no 100 ms slice holds more than 30 of 100 cards");
  assert.ok(distinct >= 80, `${distinct} distinct retry times`);

  p = await probe(page);
  assert.equal(p.log, CARDS);
  assert.equal(p.status, CARDS);
  assert.equal(p.maxHeld, 1, "never two subscriptions of one kind for one card");
  assert.equal(p.staleUnsubCalls, 0);

  // Removing every card leaves nothing behind.
  await page.evaluate(() => window.T.cards.forEach((card) => card.remove()));
  await settle(page);
  p = await probe(page);
  assert.equal(p.log + p.status, 0);
  assert.equal(p.listeners, 0);
  assert.deepEqual(errors, []);
  await context.close();
});
