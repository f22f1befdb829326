import { test } from "node:test";
import assert from "node:assert/strict";
import { Backoff } from "../../src/backoff.js";

test("the window doubles from 1 s and stops at 30 s", () => {
  // random just below 1 draws the top of each window, so the delays show the windows.
  const backoff = new Backoff({ random: () => 0.999999 });
  const delays = Array.from({ length: 8 }, () => Math.round(backoff.next()));
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test("full jitter: a delay is the window times the random draw, from 0 up", () => {
  const draws = [0, 0.5, 0.25];
  const backoff = new Backoff({ random: () => draws.shift() });
  assert.equal(backoff.next(), 0); // window 1000
  assert.equal(backoff.next(), 1000); // half of 2000
  assert.equal(backoff.next(), 1000); // a quarter of 4000
});

test("reset after a success starts again from the 1 s window", () => {
  const backoff = new Backoff({ random: () => 0.999999 });
  for (let i = 0; i < 6; i += 1) backoff.next();
  assert.equal(backoff.window(), 30000);
  backoff.reset();
  assert.equal(backoff.window(), 1000);
  assert.ok(backoff.next() < 1000);
});

test("with Math.random the first delays spread over the whole first window", () => {
  const delays = Array.from({ length: 20000 }, () => new Backoff().next());
  const min = Math.min(...delays);
  const max = Math.max(...delays);
  const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
  assert.ok(min >= 0 && max < 1000, `all within [0, 1000): ${min}..${max}`);
  assert.ok(min < 10 && max > 990, `reaches both ends: ${min}..${max}`);
  assert.ok(Math.abs(mean - 500) < 15, `uniform mean near 500: ${mean}`);
  // Every tenth of the window gets its share (uniform, not clumped).
  const buckets = new Array(10).fill(0);
  for (const d of delays) buckets[Math.floor(d / 100)] += 1;
  for (const n of buckets) assert.ok(n > 1700 && n < 2300, `bucket ${n} of 20000`);
});

test("many failures never overflow the window", () => {
  const backoff = new Backoff({ random: () => 0.999999 });
  for (let i = 0; i < 5000; i += 1) backoff.next();
  assert.equal(backoff.window(), 30000);
  assert.ok(Number.isFinite(backoff.next()));
});

test("bad parameters are refused", () => {
  assert.throws(() => new Backoff({ base: 0 }), RangeError);
  assert.throws(() => new Backoff({ base: 2000, cap: 1000 }), RangeError);
});
