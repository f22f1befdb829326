// Card rows of scripts/bench (run by card.py): prints one JSON object on stdout.
//
// Row 6, reconnect spread: the method of card/test/browser/spread.test.mjs. 100 cards on one page
// (the mock Home Assistant of card/test/page, the page's virtual clock) lose the socket together;
// Home Assistant is back at once; the time of each card's first resubscribe (log and status) is
// read from the mock server's log of subscribe requests, relative to the reconnect.
//
// Row 5, the log under a flood: one card (log_rows 200) fed 1,000 entries/s as ten 100-entry
// batches a second (the integration sends ~100 ms batches) for DURATION real seconds. Long tasks
// (PerformanceObserver "longtask", the Long Tasks API), frame times (requestAnimationFrame
// deltas), DOM rows of the log and the JS heap (CDP Performance.getMetrics after a forced
// garbage collection) at the start and the end.
import { advance, frame, launch, openPage, probe, settle, startServer } from "../../card/test/browser/harness.mjs";

const CARDS = 100;
const WINDOW_MS = 1000;
const DURATION_S = Number(process.env.FURBY_BENCH_DURATION || "10");

async function spread(browser, url) {
  const { page, context, errors } = await openPage(browser, url, { count: CARDS, height: 600 });
  await page.evaluate((n) => {
    for (let i = 0; i < n; i += 1) window.T.add({ device_id: `furby${String(i).padStart(3, "0")}` });
  }, CARDS);
  await settle(page);
  const before = (await probe(page)).subscribeRequests;
  const restoredAt = await page.evaluate(() => {
    window.T.connection.drop();
    window.T.connection.restore();
    return window.__clock.now();
  });
  // Long enough for every card's first retry in the first window, and a few more for stragglers.
  for (let step = 0; step < 8; step += 1) await advance(page, WINDOW_MS);
  await settle(page);
  const requests = await page.evaluate((from) => window.T.server.subscribeLog.slice(from), before);
  const first = { log: new Map(), status: new Map() };
  for (const r of requests) {
    const byCard = first[r.kind];
    if (byCard && !byCard.has(r.deviceId)) byCard.set(r.deviceId, r.time - restoredAt);
  }
  const after = await probe(page);
  const delays = [...first.log.values()].sort((a, b) => a - b);
  const back = [...first.log.keys()].map((id) => Math.max(first.log.get(id), first.status.get(id) ?? Infinity));
  const buckets = new Array(10).fill(0);
  for (const d of delays) buckets[Math.min(9, Math.floor(d / (WINDOW_MS / 10)))] += 1;
  await context.close();
  return {
    cards: CARDS,
    retried_log: first.log.size,
    retried_status: first.status.size,
    first_retry_ms: { min: delays[0], median: delays[Math.floor(delays.length / 2)], max: delays.at(-1) },
    all_back_ms: Math.max(...back),
    subscriptions_held_after: { log: after.log, status: after.status },
    per_100ms: buckets,
    peak_per_100ms: Math.max(...buckets),
    page_errors: errors,
  };
}

async function flood(browser, url) {
  const { page, context, errors } = await openPage(browser, url);
  await page.evaluate(() => window.T.add({ device_id: "furby000", log_rows: 200 }));
  await settle(page);
  await frame(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  const heap = async () => {
    await cdp.send("HeapProfiler.collectGarbage");
    return (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "JSHeapUsedSize").value;
  };
  const domRows = () => page.evaluate(() => window.T.root().querySelectorAll(".log .row").length);
  await page.evaluate(() => {
    const w = { longest: 0, longTasks: 0, frames: [], last: performance.now() };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        w.longTasks += 1;
        w.longest = Math.max(w.longest, e.duration);
      }
    }).observe({ type: "longtask" });
    const tick = (t) => {
      w.frames.push(t - w.last);
      w.last = t;
      w.raf = requestAnimationFrame(tick);
    };
    w.raf = requestAnimationFrame(tick);
    window.W = w;
  });
  const start = { rows: await domRows(), heap: await heap() };
  await page.evaluate(() => {
    window.W.frames = [];
  });
  let sent = 0;
  const began = Date.now();
  const batches = DURATION_S * 10;
  for (let b = 0; b < batches; b += 1) {
    await page.evaluate(
      ([from]) => {
        window.T.server.log(
          "furby000",
          Array.from({ length: 100 }, (_, i) => ({ level: "info", kind: "reply", text: `entry ${from + i}`, data: { characteristic: "nordic", hex: "09 00" } })),
        );
      },
      [sent],
    );
    sent += 100;
    const due = began + (b + 1) * 100;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const seconds = (Date.now() - began) / 1000;
  await frame(page, 3);
  const w = await page.evaluate(() => ({ longest: window.W.longest, longTasks: window.W.longTasks, frames: window.W.frames }));
  const end = { rows: await domRows(), heap: await heap() };
  const frames = w.frames.slice(1).sort((a, b) => a - b);
  await context.close();
  return {
    entries: sent,
    seconds,
    entries_per_second: sent / seconds,
    long_tasks: w.longTasks,
    longest_task_ms: w.longest,
    frames: frames.length,
    longest_frame_ms: frames.at(-1) ?? 0,
    p99_frame_ms: frames[Math.floor(frames.length * 0.99)] ?? 0,
    median_frame_ms: frames[Math.floor(frames.length / 2)] ?? 0,
    dom_rows: { start: start.rows, end: end.rows },
    js_heap_bytes: { start: start.heap, end: end.heap },
    page_errors: errors,
  };
}

const server = await startServer();
const browser = await launch();
try {
  const result = { spread: await spread(browser, server.url), flood: await flood(browser, server.url) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await browser.close();
  await server.close();
}
