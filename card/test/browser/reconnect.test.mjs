// The card's own reconnection (resubscribe: false) against the mock hass: backoff after
// unknown_command, a subscribe that never settles, stale unsubscribe handles, the instance
// Lovelace replaces after a reconnect, and removal leaving nothing behind.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { advance, feedText, launch, openPage, probe, settle, startServer } from "./harness.mjs";

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

async function fresh(options) {
  const opened = await openPage(browser, server.url, options);
  return opened;
}

test("a mounted card holds exactly one log and one status subscription, made with resubscribe false", async () => {
  const { page, context, errors } = await fresh({ count: 2 });
  await page.evaluate(() => {
    window.T.add({ device_id: "furby000" });
    window.T.add({ device_id: "furby001" });
  });
  await settle(page);
  const p = await probe(page);
  assert.equal(p.log, 2);
  assert.equal(p.status, 2);
  assert.equal(p.maxHeld, 1);
  assert.equal(p.listeners, 4, "two listeners (ready, disconnected) per card");
  assert.ok(p.allResubscribeFalse);
  assert.equal(p.catalogCalls, 1, "one catalog call per page, shared by both cards");
  assert.equal(await feedText(page), "");
  assert.deepEqual(errors, []);
  await context.close();
});

test("after a restart the card retries unknown_command with growing jittered delays, then recovers", async () => {
  const { page, context, errors } = await fresh();
  await page.evaluate(() => window.T.add({ device_id: "furby000" }));
  await settle(page);
  // Home Assistant restarts; the integration registers its commands only later.
  await page.evaluate(() => {
    window.T.server.loaded = false;
    window.T.connection.drop();
  });
  assert.match(await feedText(page), /not reachable/);
  const restoredAt = (await probe(page)).now;
  await page.evaluate(() => window.T.connection.restore());
  // Walk virtual time through five failed rounds, recording when the log subscribe is retried.
  const attempts = [];
  let cursor = restoredAt;
  while (attempts.length < 5) {
    await advance(page, 250);
    const log = await page.evaluate(() => window.T.server.subscribeLog.filter((s) => s.kind === "log").map((s) => s.time));
    for (const t of log) if (t > cursor) attempts.push(t);
    cursor = Math.max(cursor, ...log);
  }
  assert.match(await feedText(page), /Waiting for the Furby Connect integration to load/);
  const gaps = attempts.map((t, i) => t - (i === 0 ? restoredAt : attempts[i - 1]));
  // Full jitter: the n-th wait is drawn from [0, min(30 s, 1 s * 2^n)) (plus up to one 250 ms step
  // of this walk, since a retry is noticed at the next step).
  gaps.forEach((gap, n) => assert.ok(gap >= 0 && gap < Math.min(30000, 1000 * 2 ** n) + 1, `wait ${n}: ${gap} ms`));
  console.log(`unknown_command retries after restore (ms): ${gaps.map((g) => g.toFixed(0)).join(", ")}`);
  let p = await probe(page);
  assert.equal(p.log + p.status, 0, "nothing subscribed while the integration is missing");
  // The integration is loaded: the next retry (at most 32 s away) makes the card live again.
  await page.evaluate(() => {
    window.T.server.loaded = true;
  });
  await advance(page, 32000);
  p = await probe(page);
  assert.equal(p.log, 1);
  assert.equal(p.status, 1);
  assert.equal(p.maxHeld, 1);
  assert.equal(p.staleUnsubCalls, 0);
  assert.equal(await feedText(page), "");
  // The backoff was reset by the success: after the next drop the first retry is within 1 s.
  const before2 = (await probe(page)).subscribeRequests;
  await page.evaluate(() => {
    window.T.connection.drop();
    window.T.connection.restore();
  });
  await advance(page, 1000);
  p = await probe(page);
  assert.equal(p.subscribeRequests, before2 + 2, "both subscriptions retried within the first 1 s window");
  assert.equal(p.log + p.status, 2);
  assert.deepEqual(errors, [], "no unhandled rejection (the default resubscribe's failure mode)");
  await context.close();
});

test("a subscribe in flight when the socket drops never settles; the card subscribes again", async () => {
  const { page, context, errors } = await fresh();
  await page.evaluate(() => {
    window.T.server.holdSubscribes = true; // the requests reach the server but get no answer
    window.T.add({ device_id: "furby000" });
  });
  await settle(page);
  await advance(page, 60000);
  let p = await probe(page);
  assert.equal(p.subscribeRequests, 2, "one attempt per kind, still waiting: no second attempt while one is in flight");
  assert.equal(p.log + p.status, 0);
  await page.evaluate(() => {
    window.T.connection.drop(); // the held requests die with the socket and never settle
    window.T.server.holdSubscribes = false;
    window.T.connection.restore();
  });
  await advance(page, 1000);
  p = await probe(page);
  assert.equal(p.log, 1);
  assert.equal(p.status, 1);
  assert.equal(p.maxHeld, 1);
  assert.equal(await feedText(page), "");
  assert.deepEqual(errors, []);
  await context.close();
});

test("stale unsubscribe handles are never used: removing one card after a reconnect leaves the other's subscriptions", async () => {
  const { page, context, errors } = await fresh({ count: 2 });
  await page.evaluate(() => {
    window.T.add({ device_id: "furby000" });
    window.T.add({ device_id: "furby001" });
  });
  await settle(page);
  // Ids restart at 1 on the new socket, so the old handles' ids now belong to other subscriptions.
  for (let round = 0; round < 3; round += 1) {
    await page.evaluate(() => {
      window.T.connection.drop();
      window.T.connection.restore();
    });
    await advance(page, 1000);
  }
  await page.evaluate(() => window.T.remove(0));
  await settle(page);
  const p = await probe(page);
  assert.equal(p.staleUnsubCalls, 0, "no handle from an earlier socket was called");
  assert.equal(p.unsubscribeNotFound, 0);
  assert.equal(await page.evaluate(() => window.T.server.count(null, "furby000")), 0);
  assert.equal(await page.evaluate(() => window.T.server.count("log", "furby001")), 1);
  assert.equal(await page.evaluate(() => window.T.server.count("status", "furby001")), 1);
  // And the remaining card still receives its Furby's updates.
  await page.evaluate(() => window.T.server.update("furby001", { orientation: "upside_down" }));
  await settle(page);
  assert.match(await page.evaluate(() => window.T.root(1).querySelector(".facts").textContent), /Upside down/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the instance Lovelace replaces after a reconnect leaves nothing; the new one holds one of each", async () => {
  const { page, context, errors } = await fresh();
  await page.evaluate(() => window.T.add({ device_id: "furby000" }));
  await settle(page);
  await page.evaluate(() => {
    window.T.connection.drop();
    window.T.connection.restore(); // the old card schedules its jittered retry...
    window.T.replace(0); // ...and is replaced before it fires
  });
  await advance(page, 31000);
  const p = await probe(page);
  assert.equal(p.log, 1);
  assert.equal(p.status, 1);
  assert.equal(p.maxHeld, 1);
  assert.equal(p.listeners, 2, "only the new instance listens");
  assert.equal(p.staleUnsubCalls, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("removing the card leaves zero subscriptions, listeners and timers; putting it back resubscribes", async () => {
  const { page, context, errors } = await fresh();
  const timersBefore = await page.evaluate(() => window.__clock.pending());
  await page.evaluate(() => window.T.add({ device_id: "furby000" }));
  await settle(page);
  await page.evaluate(() => window.T.remove(0));
  await settle(page);
  let p = await probe(page);
  assert.equal(p.log + p.status, 0);
  assert.equal(p.listeners, 0);
  assert.equal(await page.evaluate(() => window.__clock.pending()), timersBefore);
  // Removed while a retry is scheduled: the retry is cancelled.
  await page.evaluate(() => {
    window.T.server.loaded = false;
    document.getElementById("cards").append(window.T.cards[0]);
  });
  await settle(page);
  assert.ok((await page.evaluate(() => window.__clock.pending())) > timersBefore, "a retry is scheduled");
  await page.evaluate(() => window.T.remove(0));
  assert.equal(await page.evaluate(() => window.__clock.pending()), timersBefore, "and cancelled by removal");
  // Removed while its subscribes are in flight: the late answers are unsubscribed at once.
  await page.evaluate(() => {
    window.T.server.loaded = true;
    window.T.server.holdSubscribes = true;
    document.getElementById("cards").append(window.T.cards[0]);
  });
  await settle(page);
  await page.evaluate(() => {
    window.T.remove(0);
    window.T.server.holdSubscribes = false;
    window.T.server.release();
  });
  await settle(page);
  p = await probe(page);
  assert.equal(p.log + p.status, 0, "late answers were unsubscribed");
  assert.equal(p.listeners, 0);
  assert.equal(p.unsubscribeNotFound, 0);
  // Back on the page: live again.
  await page.evaluate(() => document.getElementById("cards").append(window.T.cards[0]));
  await settle(page);
  p = await probe(page);
  assert.equal(p.log, 1);
  assert.equal(p.status, 1);
  assert.equal(p.listeners, 2);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a new hass.connection object: the card moves its subscriptions and listeners to it", async () => {
  const { page, context, errors } = await fresh();
  await page.evaluate(() => window.T.add({ device_id: "furby000" }));
  await settle(page);
  const result = await page.evaluate(async () => {
    const { T } = window;
    const old = T.connection;
    const next = new window.MockConnection(T.server);
    T.hass = { ...T.hass, connection: next };
    T.cards[0].hass = T.hass;
    await window.__clock.settle(5);
    return {
      oldListeners: old.listenerCount(),
      newListeners: next.listenerCount(),
      bySocket: [...T.server.subs.values()].map((s) => s.socket.id),
      newSocket: next.socket.id,
    };
  });
  assert.equal(result.oldListeners, 0);
  assert.equal(result.newListeners, 2);
  assert.equal(result.bySocket.length, 2, "the old subscriptions were unsubscribed");
  assert.ok(result.bySocket.every((id) => id === result.newSocket), "both live on the new connection");
  assert.deepEqual(errors, []);
  await context.close();
});

test("an entry reload ends the subscriptions on the server; the card notices 'removed' and subscribes again", async () => {
  const { page, context, errors } = await fresh();
  await page.evaluate(() => window.T.add({ device_id: "furby000" }));
  await settle(page);
  await page.evaluate(() => window.T.server.unload("furby000"));
  await settle(page);
  assert.match(await page.locator(".status").textContent(), /not set up \(or was removed\)/);
  let p = await probe(page);
  assert.equal(p.log + p.status, 0);
  await advance(page, 4000); // still unloaded: retries answer not_found
  assert.match(await feedText(page), /not loaded in Home Assistant/);
  await page.evaluate(() => window.T.server.reload("furby000"));
  await advance(page, 31000);
  p = await probe(page);
  assert.equal(p.log, 1);
  assert.equal(p.status, 1);
  assert.equal(p.maxHeld, 1);
  assert.equal(p.listeners, 2);
  assert.equal(await feedText(page), "");
  assert.match(await page.locator(".facts").textContent(), /Upright/);
  // Live again: new log entries arrive.
  await page.evaluate(() => window.T.server.log("furby000", [{ text: "after the reload" }]));
  await settle(page);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(await page.evaluate(() => [...window.T.root().querySelectorAll(".log .row .x")].at(-1)?.textContent), "after the reload");
  assert.deepEqual(errors, []);
  await context.close();
});

test("an unknown Furby is reported and retried with backoff, not hammered", async () => {
  const { page, context, errors } = await fresh();
  await page.evaluate(() => {
    Math.random = () => 0.5; // every wait is half its window: 0.5, 1, 2, 4, 8 s
    window.T.add({ device_id: "no-such-furby" });
  });
  await settle(page);
  assert.match(await feedText(page), /not loaded in Home Assistant/);
  await advance(page, 10000);
  const p = await probe(page);
  // Attempts at 0, 0.5, 1.5, 3.5 and 7.5 s (the next would be at 15.5 s): five per kind.
  const times = await page.evaluate(() => window.T.server.subscribeLog.filter((s) => s.kind === "status").map((s) => s.time));
  assert.deepEqual(times, [0, 500, 1500, 3500, 7500]);
  assert.equal(p.subscribeRequests, 10);
  assert.equal(p.log + p.status, 0);
  assert.deepEqual(errors, []);
  await context.close();
});
