import { test, mock } from "node:test";
import assert from "node:assert/strict";
import { Backoff } from "../../src/backoff.js";
import { ResilientSubscription, STATE } from "../../src/subscription.js";
import { FakeConnection, flush } from "./fake-connection.mjs";

function setup({ random = () => 0.999 } = {}) {
  mock.timers.enable({ apis: ["setTimeout"] });
  const connection = new FakeConnection();
  const events = [];
  const states = [];
  const sub = new ResilientSubscription({
    message: { type: "furby_connect/log/subscribe", device_id: "d1" },
    onEvent: (e) => events.push(e),
    onState: (state, info) => states.push({ state, ...info }),
    backoff: new Backoff({ random }),
  });
  connection.addEventListener("disconnected", () => sub.connectionLost());
  connection.addEventListener("ready", () => sub.connectionReady());
  return { connection, sub, events, states };
}

test("subscribes at once with resubscribe false and delivers events", async (t) => {
  t.after(() => mock.timers.reset());
  const { connection, sub, events } = setup();
  sub.start(connection);
  assert.equal(connection.requests.length, 1);
  assert.deepEqual(connection.requests[0].options, { resubscribe: false });
  assert.deepEqual(connection.requests[0].message, { type: "furby_connect/log/subscribe", device_id: "d1" });
  connection.answer();
  await flush();
  assert.equal(sub.state, STATE.LIVE);
  connection.event({ type: "entries", entries: [] });
  assert.equal(events.length, 1);
});

test("unknown_command is retried with growing jittered delays, and a success resets them", async (t) => {
  t.after(() => mock.timers.reset());
  const { connection, sub, states } = setup();
  sub.start(connection);
  const delays = [];
  for (let i = 0; i < 4; i += 1) {
    connection.answer({ code: "unknown_command", message: "Unknown command." });
    await flush();
    const retry = states.at(-1);
    assert.equal(retry.state, STATE.RETRYING);
    assert.equal(retry.error.code, "unknown_command");
    delays.push(retry.delay);
    assert.equal(connection.pending().length, 0, "nothing in flight while waiting");
    mock.timers.tick(retry.delay - 1);
    assert.equal(connection.pending().length, 0, "not before the delay");
    mock.timers.tick(1);
    assert.equal(connection.pending().length, 1, "one new attempt after it");
  }
  assert.deepEqual(delays.map(Math.round), [999, 1998, 3996, 7992]);
  connection.answer();
  await flush();
  assert.equal(sub.state, STATE.LIVE);
  connection.drop();
  connection.restore();
  assert.equal(Math.round(states.at(-1).delay), 999, "back to the 1 s window after a success");
});

test("a drop forgets the live handle without calling it; the retry waits for ready and jitters", async (t) => {
  t.after(() => mock.timers.reset());
  const { connection, sub, states } = setup({ random: () => 0.25 });
  sub.start(connection);
  connection.answer();
  await flush();
  connection.drop();
  assert.equal(sub.state, STATE.OFFLINE);
  mock.timers.tick(60000);
  assert.equal(connection.requests.length, 1, "no attempt while the socket is down");
  connection.restore();
  assert.equal(states.at(-1).state, STATE.RETRYING);
  assert.equal(states.at(-1).delay, 250);
  mock.timers.tick(250);
  assert.equal(connection.pending().length, 1);
  connection.answer();
  await flush();
  sub.stop();
  await flush();
  // Only the current handle was used, on its own socket.
  assert.deepEqual(connection.unsubscribes, [{ socket: 2, id: 2, stale: false }]);
  assert.equal(connection.live.size, 0);
});

test("a subscribe in flight at a drop is abandoned, and a late answer is not unsubscribed", async (t) => {
  t.after(() => mock.timers.reset());
  const { connection, sub } = setup({ random: () => 0 });
  sub.start(connection);
  const first = connection.requests[0];
  connection.drop(); // the request never settles
  connection.restore();
  mock.timers.tick(0);
  connection.answer(); // the new attempt (id 2 again on the new socket)
  await flush();
  assert.equal(sub.state, STATE.LIVE);
  connection.answerLate(first); // its handle would carry id 2: calling it would kill the new one
  await flush();
  assert.deepEqual(connection.unsubscribes, [], "the stale handle was not called");
  assert.equal(connection.live.size, 1);
});

test("an answer that arrives after stop on the same socket is unsubscribed at once", async (t) => {
  t.after(() => mock.timers.reset());
  const { connection, sub } = setup();
  sub.start(connection);
  sub.stop();
  connection.answer();
  await flush();
  assert.deepEqual(connection.unsubscribes, [{ socket: 1, id: 2, stale: false }]);
  assert.equal(connection.live.size, 0);
});

test("events of an abandoned attempt are ignored", async (t) => {
  t.after(() => mock.timers.reset());
  const { connection, sub, events } = setup();
  sub.start(connection);
  connection.answer();
  await flush();
  const old = connection.requests[0];
  sub.stop();
  old.callback({ type: "entries", entries: [1] });
  assert.equal(events.length, 0);
});

test("stop cancels a scheduled retry and leaves no timer", async (t) => {
  t.after(() => mock.timers.reset());
  const { connection, sub } = setup();
  sub.start(connection);
  connection.answer({ code: "not_found", message: "Furby not found." });
  await flush();
  assert.equal(sub.state, STATE.RETRYING);
  sub.stop();
  mock.timers.tick(120000);
  assert.equal(connection.requests.length, 1, "no attempt after stop");
  assert.equal(sub.timer, null);
});

test("a card created while the socket is down waits for ready", async (t) => {
  t.after(() => mock.timers.reset());
  const { connection, sub } = setup({ random: () => 0.5 });
  connection.drop();
  sub.start(connection);
  assert.equal(sub.state, STATE.OFFLINE);
  assert.equal(connection.requests.length, 0);
  connection.restore();
  mock.timers.tick(500);
  assert.equal(connection.pending().length, 1);
});

test("a throwing subscribeMessage is retried like a failure", async (t) => {
  t.after(() => mock.timers.reset());
  const { connection, sub, states } = setup();
  connection.subscribeMessage = () => {
    throw new Error("socket closing");
  };
  sub.start(connection);
  await flush();
  assert.equal(states.at(-1).state, STATE.RETRYING);
  assert.equal(states.at(-1).error.message, "socket closing");
});

test("restart (the server ended it): the handle is released and a new subscribe follows after a backoff delay", async (t) => {
  t.after(() => mock.timers.reset());
  const { connection, sub, states } = setup({ random: () => 0.5 });
  sub.start(connection);
  connection.answer();
  await flush();
  sub.restart();
  await flush();
  assert.deepEqual(connection.unsubscribes, [{ socket: 1, id: 2, stale: false }]);
  assert.equal(states.at(-1).state, STATE.RETRYING);
  assert.equal(states.at(-1).delay, 500);
  mock.timers.tick(500);
  assert.equal(connection.pending().length, 1);
  connection.answer({ code: "not_found", message: "Furby not found." }); // still reloading
  await flush();
  assert.equal(states.at(-1).delay, 1000, "the next window doubled");
  mock.timers.tick(1000);
  connection.answer();
  await flush();
  assert.equal(sub.state, STATE.LIVE);
});
