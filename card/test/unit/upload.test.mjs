import { test } from "node:test";
import assert from "node:assert/strict";
import { fileProblem, formatBytes, formatDuration, formatRate, sendToHomeAssistant } from "../../src/upload.js";

test("figures are formatted for people", () => {
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(4000), "4.0 kB");
  assert.equal(formatBytes(1129942), "1.13 MB");
  assert.equal(formatRate(4012.5), "4.0 kB/s");
  assert.equal(formatRate(null), "–");
  assert.equal(formatDuration(45), "45 s");
  assert.equal(formatDuration(252), "4 min 12 s");
  assert.equal(formatDuration(3725), "1 h 02 min");
  assert.equal(formatDuration(null), "–");
  assert.equal(formatBytes(-1), "–");
});

test("empty and oversized files are refused before sending", () => {
  assert.match(fileProblem({ name: "a.dlc", size: 0 }), /empty/);
  assert.match(fileProblem({ name: "a.dlc", size: 2 ** 24 }), /16 MiB/);
  assert.equal(fileProblem({ name: "a.dlc", size: 1000 }), null);
  assert.match(fileProblem(null), /No file/);
});

test("the file goes to /api/file_upload as multipart field 'file' and its id comes back", async () => {
  const seen = [];
  const hass = {
    fetchWithAuth: async (path, init) => {
      seen.push({ path, method: init.method, file: init.body.get("file") });
      return new Response(JSON.stringify({ file_id: "abc" }), { status: 200 });
    },
  };
  const file = new File([new Uint8Array([1, 2, 3])], "x.dlc");
  assert.equal(await sendToHomeAssistant(hass, file), "abc");
  assert.equal(seen[0].path, "/api/file_upload");
  assert.equal(seen[0].method, "POST");
  assert.equal(seen[0].file.size, 3);
});

test("HTTP errors and a missing file id become readable errors", async () => {
  const file = new File([new Uint8Array([1])], "x.dlc");
  const answer = (status, body) => ({ fetchWithAuth: async () => new Response(body, { status }) });
  await assert.rejects(sendToHomeAssistant(answer(413, ""), file), /too large/);
  await assert.rejects(sendToHomeAssistant(answer(401, ""), file), /HTTP 401/);
  await assert.rejects(sendToHomeAssistant(answer(200, "{}"), file), /no file id/);
});
