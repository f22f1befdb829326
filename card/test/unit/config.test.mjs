import { test } from "node:test";
import assert from "node:assert/strict";
import { configForm, eyesEntityId, normalizeConfig, stubConfig } from "../../src/config.js";

test("defaults: show the log, 200 rows", () => {
  const config = normalizeConfig({ type: "custom:furby-connect-card", device_id: " abc " });
  assert.equal(config.device_id, "abc");
  assert.equal(config.show_log, true);
  assert.equal(config.log_rows, 200);
});

test("bad configs are refused with a readable message", () => {
  assert.throws(() => normalizeConfig(null), /Invalid configuration/);
  assert.throws(() => normalizeConfig({}), /device_id is required/);
  assert.throws(() => normalizeConfig({ device_id: "" }), /device_id is required/);
  assert.throws(() => normalizeConfig({ device_id: 5 }), /device_id is required/);
  assert.throws(() => normalizeConfig({ device_id: "a", title: 3 }), /title/);
  assert.throws(() => normalizeConfig({ device_id: "a", show_log: "yes" }), /show_log/);
  assert.throws(() => normalizeConfig({ device_id: "a", log_rows: 5 }), /log_rows/);
  assert.throws(() => normalizeConfig({ device_id: "a", log_rows: 2.5 }), /log_rows/);
  assert.throws(() => normalizeConfig({ device_id: "a", log_rows: 1e6 }), /log_rows/);
  assert.equal(normalizeConfig({ device_id: "a", log_rows: "50" }).log_rows, 50);
});

const hass = {
  entities: {
    "light.furby_antenna": { entity_id: "light.furby_antenna", device_id: "d1", platform: "furby_connect" },
    "switch.furby_eyes": { entity_id: "switch.furby_eyes", device_id: "d1", platform: "furby_connect", translation_key: "eyes" },
    "switch.other_eyes": { entity_id: "switch.other_eyes", device_id: "d2", platform: "other" },
    "switch.renamed": { entity_id: "switch.renamed", device_id: "d3", platform: "furby_connect", translation_key: "eyes" },
    "switch.second_eyes": { entity_id: "switch.second_eyes", device_id: "d4", platform: "furby_connect" },
  },
};

test("the eyes switch is found by device, platform and translation key (or _eyes suffix)", () => {
  assert.equal(eyesEntityId(hass, "d1"), "switch.furby_eyes");
  assert.equal(eyesEntityId(hass, "d3"), "switch.renamed");
  assert.equal(eyesEntityId(hass, "d4"), "switch.second_eyes");
  assert.equal(eyesEntityId(hass, "d2"), null, "another integration's switch is not ours");
  assert.equal(eyesEntityId({}, "d1"), null);
});

test("the stub config picks a Furby when there is one", () => {
  assert.deepEqual(stubConfig(hass), { type: "custom:furby-connect-card", device_id: "d1" });
  assert.deepEqual(stubConfig({ entities: {} }), { type: "custom:furby-connect-card", device_id: "" });
});

test("the editor form offers the Furby picker and the options, with labels", () => {
  const form = configForm();
  const names = [];
  const walk = (schema) => schema.forEach((f) => (f.schema ? walk(f.schema) : names.push(f.name)));
  walk(form.schema);
  assert.deepEqual(names, ["device_id", "title", "show_log", "log_rows"]);
  assert.deepEqual(form.schema[0].selector, { device: { filter: { integration: "furby_connect" } } });
  for (const name of names) assert.ok(form.computeLabel({ name }), `label for ${name}`);
  assert.throws(() => form.assertConfig({ device_id: "a", log_rows: 3 }), /log_rows/);
  assert.doesNotThrow(() => form.assertConfig({ device_id: "a" }));
});
