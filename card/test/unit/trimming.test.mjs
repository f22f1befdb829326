import { test } from "node:test";
import assert from "node:assert/strict";
import { bufferCapacity, planFrame } from "../../src/log-view.js";

test("a frame within the limit appends everything and trims nothing", () => {
  assert.deepEqual(planFrame(10, 5, 200), { skip: 0, append: 5, remove: 0 });
});

test("a frame past the limit trims exactly the overflow, in one batch", () => {
  assert.deepEqual(planFrame(198, 5, 200), { skip: 0, append: 5, remove: 3 });
});

test("a burst larger than the view skips the rows that would be trimmed at once", () => {
  // 5,000 entries in one frame: only the newest 200 get rows; all old rows go.
  assert.deepEqual(planFrame(200, 5000, 200), { skip: 4800, append: 200, remove: 200 });
  assert.deepEqual(planFrame(50, 300, 200), { skip: 100, append: 200, remove: 50 });
});

test("over any sequence of frames the rows never exceed the limit and end at the newest", () => {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (const maxRows of [10, 200, 2000]) {
    let rows = [];
    let next = 0;
    for (let frame = 0; frame < 500; frame += 1) {
      const incoming = Math.floor(random() * random() * maxRows * 3);
      const batch = Array.from({ length: incoming }, () => next++);
      const plan = planFrame(rows.length, incoming, maxRows);
      assert.equal(plan.skip + plan.append, incoming);
      rows = rows.slice(plan.remove).concat(batch.slice(plan.skip));
      assert.ok(rows.length <= maxRows, `frame ${frame}: ${rows.length} rows > ${maxRows}`);
      // The rows on screen are always the newest entries, in order, without holes.
      if (rows.length) assert.equal(rows[rows.length - 1], next - 1);
      assert.equal(rows.length, Math.min(next, maxRows));
      for (let i = 1; i < rows.length; i += 1) assert.equal(rows[i], rows[i - 1] + 1);
    }
  }
});

test("the buffer behind a view holds at least 1,000 entries and twice the rows", () => {
  assert.equal(bufferCapacity(200), 1000);
  assert.equal(bufferCapacity(2000), 4000);
});
