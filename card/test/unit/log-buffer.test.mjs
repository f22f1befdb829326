import { test } from "node:test";
import assert from "node:assert/strict";
import { LEVELS, RingBuffer, levelRank, newBacklogEntries } from "../../src/log-buffer.js";

test("a ring buffer keeps the newest items, oldest first, in fixed storage", () => {
  const ring = new RingBuffer(3);
  assert.equal(ring.push(1), false);
  ring.push(2);
  ring.push(3);
  assert.equal(ring.push(4), true, "the fourth push overwrites the oldest");
  ring.push(5);
  assert.deepEqual(ring.toArray(), [3, 4, 5]);
  assert.equal(ring.size, 3);
  assert.equal(ring.total, 5);
  assert.equal(ring.at(0), 3);
  assert.equal(ring.last(), 5);
  assert.equal(ring.at(3), undefined);
  assert.equal(ring.items.length, 3, "storage never grows");
});

test("tail and tailMatching return the newest items in order", () => {
  const ring = new RingBuffer(10);
  for (let i = 1; i <= 25; i += 1) ring.push(i);
  assert.deepEqual(ring.tail(3), [23, 24, 25]);
  assert.deepEqual(ring.tail(50), [16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
  assert.deepEqual(ring.tail(0), []);
  assert.deepEqual(
    ring.tailMatching(3, (n) => n % 2 === 0),
    [20, 22, 24],
  );
});

test("storage stays bounded over a long flood", () => {
  const ring = new RingBuffer(1000);
  for (let i = 0; i < 100000; i += 1) ring.push({ seq: i });
  assert.equal(ring.size, 1000);
  assert.equal(ring.items.length, 1000);
  assert.equal(ring.at(0).seq, 99000);
  assert.equal(ring.last().seq, 99999);
});

test("clear empties the buffer and keeps its capacity", () => {
  const ring = new RingBuffer(4);
  [1, 2, 3, 4, 5].forEach((n) => ring.push(n));
  ring.clear();
  assert.equal(ring.size, 0);
  assert.deepEqual(ring.toArray(), []);
  ring.push(9);
  assert.deepEqual(ring.toArray(), [9]);
});

test("a ring buffer refuses a capacity below 1", () => {
  assert.throws(() => new RingBuffer(0), RangeError);
  assert.throws(() => new RingBuffer(1.5), RangeError);
});

test("levels rank from debug to error; unknown levels count as info", () => {
  assert.deepEqual(LEVELS.map(levelRank), [0, 1, 2, 3]);
  assert.equal(levelRank("verbose"), 1);
});

const entries = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => ({ seq: from + i }));
const seqs = (result) => result.entries.map((e) => e.seq);

test("the first backlog is taken whole", () => {
  const result = newBacklogEntries(undefined, entries(1, 5));
  assert.deepEqual(seqs(result), [1, 2, 3, 4, 5]);
  assert.equal(result.missed, 0);
});

test("a backlog after a reconnect adds only what was not seen", () => {
  const result = newBacklogEntries(7, entries(3, 10));
  assert.deepEqual(seqs(result), [8, 9, 10]);
  assert.equal(result.missed, 0);
  assert.equal(result.restarted, false);
  assert.deepEqual(seqs(newBacklogEntries(10, entries(3, 10))), [], "nothing new");
});

test("a backlog that starts after a gap reports how many entries were missed", () => {
  const result = newBacklogEntries(7, entries(20, 22));
  assert.deepEqual(seqs(result), [20, 21, 22]);
  assert.equal(result.missed, 12);
});

test("a backlog with smaller numbers means a restart: everything is new", () => {
  const result = newBacklogEntries(500, entries(1, 4));
  assert.deepEqual(seqs(result), [1, 2, 3, 4]);
  assert.equal(result.restarted, true);
});

test("an empty or missing backlog adds nothing", () => {
  assert.deepEqual(newBacklogEntries(3, []).entries, []);
  assert.deepEqual(newBacklogEntries(undefined, undefined).entries, []);
});
