import { test } from "node:test";
import assert from "node:assert/strict";
import { LogModel, bufferCapacity } from "../../src/log-model.js";
import { ROW_HEIGHT, visibleWindow } from "../../src/log-view.js";

let seq = 0;
const entries = (n, level = "info") => Array.from({ length: n }, () => ({ seq: ++seq, level, text: `e${seq}` }));
const texts = (model) => model.view.toArray().map((e) => e.text);

test("entries reach the view only at the next frame, all at once", () => {
  const model = new LogModel(5);
  model.takeFrame();
  model.push(entries(2));
  model.push(entries(1));
  assert.equal(model.view.size, 0, "nothing before the frame");
  const frame = model.takeFrame();
  assert.deepEqual(frame, { changed: true, trimmed: 0, rebuilt: false });
  assert.equal(model.view.size, 3);
  assert.deepEqual(model.takeFrame(), { changed: false, trimmed: 0, rebuilt: false }, "an idle frame does nothing");
});

test("the view is trimmed in the frame's one batch and never exceeds maxRows", () => {
  seq = 0;
  const model = new LogModel(5);
  model.takeFrame();
  model.push(entries(4));
  model.takeFrame();
  model.push(entries(3));
  const frame = model.takeFrame();
  assert.equal(frame.trimmed, 2, "the two oldest left in the same frame");
  assert.deepEqual(texts(model), ["e3", "e4", "e5", "e6", "e7"]);
});

test("a burst larger than the view keeps only the newest entries", () => {
  seq = 0;
  const model = new LogModel(200);
  model.takeFrame();
  for (let i = 0; i < 100; i += 1) model.push(entries(20)); // 2,000 entries before one frame
  model.takeFrame();
  assert.equal(model.view.size, 200);
  assert.equal(model.view.at(0).text, "e1801");
  assert.equal(model.view.last().text, "e2000");
  assert.equal(model.buffer.size, 1000, "the buffer keeps its own bound");
});

test("over any sequence of frames the view holds the newest entries, bounded, without holes", () => {
  let state = 7;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  for (const maxRows of [10, 200, 2000]) {
    seq = 0;
    const model = new LogModel(maxRows);
    model.takeFrame();
    for (let frame = 0; frame < 300; frame += 1) {
      model.push(entries(Math.floor(random() * random() * maxRows * 3)));
      model.takeFrame();
      assert.ok(model.view.size <= maxRows);
      assert.equal(model.view.size, Math.min(seq, maxRows));
      const seqs = model.view.toArray().map((e) => e.seq);
      if (seqs.length) assert.equal(seqs.at(-1), seq);
      for (let i = 1; i < seqs.length; i += 1) assert.equal(seqs[i], seqs[i - 1] + 1);
    }
  }
});

test("the level filter shows its level and above, rebuilt from the buffer", () => {
  seq = 0;
  const model = new LogModel(10);
  model.push([...entries(2, "debug"), ...entries(1, "warning"), ...entries(1, "error"), ...entries(1, "info")]);
  model.takeFrame();
  assert.equal(model.view.size, 5);
  model.setFilter("warning");
  assert.equal(model.takeFrame().rebuilt, true);
  assert.deepEqual(texts(model), ["e3", "e4"]);
  model.push(entries(1, "debug"));
  model.takeFrame();
  assert.deepEqual(texts(model), ["e3", "e4"], "new entries below the filter stay out");
});

test("pause holds the view and counts what arrives; resume shows it", () => {
  seq = 0;
  const model = new LogModel(10);
  model.push(entries(2));
  model.takeFrame();
  model.setPaused(true);
  model.push(entries(3));
  assert.equal(model.takeFrame().changed, false);
  assert.equal(model.view.size, 2);
  assert.equal(model.newWhilePaused(), 3);
  model.setPaused(false);
  model.takeFrame();
  assert.equal(model.view.size, 5);
  assert.equal(model.newWhilePaused(), 0);
});

test("clear empties buffer and view; download lists the buffer", () => {
  seq = 0;
  const model = new LogModel(10);
  model.push(entries(3));
  model.takeFrame();
  assert.equal(model.downloadText().trim().split("\n").length, 4);
  model.clear();
  model.takeFrame();
  assert.equal(model.view.size, 0);
  assert.equal(model.downloadText().trim().split("\n").length, 1, "only the header");
});

test("a backlog after a reconnect adds only unseen entries; gaps and drops leave a marker", () => {
  const model = new LogModel(50);
  const make = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => ({ seq: from + i, level: "info", text: `s${from + i}` }));
  model.backlog(make(1, 5));
  model.backlog(make(1, 8));
  model.takeFrame();
  assert.deepEqual(texts(model), ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"]);
  model.backlog(make(20, 21));
  model.dropped(42);
  model.takeFrame();
  const tail = texts(model).slice(-4);
  assert.match(tail[0], /11 log entries were missed/);
  assert.deepEqual(tail.slice(1, 3), ["s20", "s21"]);
  assert.match(tail[3], /42 log entries dropped/);
});

test("the buffer behind a view holds at least 1,000 entries and twice the rows", () => {
  assert.equal(bufferCapacity(200), 1000);
  assert.equal(bufferCapacity(2000), 4000);
});

test("the visible window: the rows in the box, following the newest when sticking", () => {
  // 200 entries of 18 px in a 260 px box: 15 rows cover it (14.4), plus one for partial rows.
  assert.deepEqual(visibleWindow(200, 260, 0, true), { top: 200 * ROW_HEIGHT - 260, first: 185, count: 15, maxTop: 3340 });
  assert.deepEqual(visibleWindow(200, 260, 0, false), { top: 0, first: 0, count: 16, maxTop: 3340 });
  assert.deepEqual(visibleWindow(200, 260, 900, false), { top: 900, first: 50, count: 16, maxTop: 3340 });
  assert.deepEqual(visibleWindow(200, 260, 99999, false).first, 185, "clamped to the end");
  assert.deepEqual(visibleWindow(5, 260, 0, true), { top: 0, first: 0, count: 5, maxTop: 0 });
  assert.deepEqual(visibleWindow(0, 260, 0, true), { top: 0, first: 0, count: 0, maxTop: 0 });
});
