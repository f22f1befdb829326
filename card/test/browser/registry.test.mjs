// Loading the card the ways Home Assistant can: twice (resource and extra module, two ?v= URLs),
// and before app.js swaps window.customElements for its scoped-registry polyfill. Plus the card
// API Lovelace calls.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { advance, launch, openPage, settle, startServer } from "./harness.mjs";

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

test("loaded twice under two URLs: one definition, one card-picker entry, no error", async () => {
  const { page, context, errors } = await openPage(browser, server.url, { load: false });
  await page.evaluate(async () => {
    await window.T.load("?v=0.1.0");
    await window.T.load("?v=0.1.0&automatically-added");
  });
  const entries = await page.evaluate(() => window.customCards.filter((c) => c.type === "furby-connect-card"));
  assert.equal(entries.length, 1);
  assert.equal(entries[0].name, "Furby Connect");
  await page.evaluate(() => window.T.add({ device_id: "furby000" }));
  await settle(page);
  assert.equal(await page.evaluate(() => window.T.server.count()), 2);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a registry swapped after the card loaded (Home Assistant's polyfill) gets the card defined again", async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  // What app.js does: a new registry object replaces window.customElements. Definitions made in
  // the old one are invisible to Lovelace's customElements.get() afterwards.
  const before = await page.evaluate(() => {
    const defined = new Map();
    window.swapped = {
      get: (tag) => defined.get(tag),
      define: (tag, ctor) => {
        if (defined.has(tag)) throw new Error(`${tag} already defined`);
        defined.set(tag, ctor);
      },
      whenDefined: async () => {},
    };
    window.original = window.customElements.get("furby-connect-card");
    Object.defineProperty(window, "customElements", { value: window.swapped, configurable: true });
    return Boolean(window.customElements.get("furby-connect-card"));
  });
  assert.equal(before, false, "the trap: right after the swap the card is missing");
  await advance(page, 250);
  const after = await page.evaluate(() => {
    const ctor = window.customElements.get("furby-connect-card");
    return { defined: Boolean(ctor), subclass: ctor && ctor.prototype instanceof window.original };
  });
  assert.deepEqual(after, { defined: true, subclass: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test("the Lovelace API: config errors, stub config, editor form, sizes; nothing set in the constructor", async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  const api = await page.evaluate(() => {
    const Card = customElements.get("furby-connect-card");
    const card = document.createElement("furby-connect-card");
    const attributesAfterCreate = card.attributes.length;
    let missing = "";
    try {
      card.setConfig({ type: "custom:furby-connect-card" });
    } catch (err) {
      missing = err.message;
    }
    card.setConfig({ type: "custom:furby-connect-card", device_id: "furby000", show_log: false });
    const small = card.getCardSize();
    card.setConfig({ type: "custom:furby-connect-card", device_id: "furby000" });
    const form = Card.getConfigForm();
    return {
      attributesAfterCreate,
      missing,
      small,
      size: card.getCardSize(),
      grid: card.getGridOptions(),
      stub: Card.getStubConfig(window.T.hass),
      formFields: form.schema.map((f) => f.name),
    };
  });
  assert.equal(api.attributesAfterCreate, 0);
  assert.match(api.missing, /device_id is required/);
  assert.ok(api.size > api.small, "the log makes the card taller");
  assert.deepEqual(api.grid, { columns: 12, rows: "auto", min_columns: 6, min_rows: 6 });
  assert.deepEqual(api.stub, { type: "custom:furby-connect-card", device_id: "furby000" });
  assert.deepEqual(api.formFields, ["device_id", "title", ""]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("show_log: false subscribes to status only; a title replaces the device name", async () => {
  const { page, context, errors } = await openPage(browser, server.url);
  await page.evaluate(() => window.T.add({ device_id: "furby000", show_log: false, title: "Living room Furby" }));
  await settle(page);
  assert.equal(await page.evaluate(() => window.T.server.count("log")), 0);
  assert.equal(await page.evaluate(() => window.T.server.count("status")), 1);
  assert.equal(await page.locator("h2").textContent(), "Living room Furby");
  assert.equal(await page.locator(".log").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("a new config on the same element moves the subscriptions to the new Furby and starts a fresh log", async () => {
  const { page, context, errors } = await openPage(browser, server.url, { count: 2 });
  await page.evaluate(() => {
    window.T.server.log("furby000", [{ text: "from furby000" }]);
    window.T.server.log("furby001", [{ text: "from furby001" }]);
    window.T.add({ device_id: "furby000" });
  });
  await settle(page);
  await page.evaluate(() => window.T.cards[0].setConfig({ type: "custom:furby-connect-card", device_id: "furby001", log_rows: 50 }));
  await settle(page);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const state = await page.evaluate(() => ({
    old: window.T.server.count(null, "furby000"),
    log: window.T.server.count("log", "furby001"),
    status: window.T.server.count("status", "furby001"),
    listeners: window.T.connection.listenerCount(),
    rows: [...window.T.root().querySelectorAll(".log .row .x")].map((x) => x.textContent),
  }));
  assert.deepEqual(state, { old: 0, log: 1, status: 1, listeners: 2, rows: ["from furby001"] });
  await page.getByRole("switch", { name: "Eyes" }).click();
  await settle(page);
  assert.deepEqual(await page.evaluate(() => window.T.serviceCalls), [
    { domain: "switch", service: "turn_off", data: { entity_id: "switch.furby001_eyes" } },
  ]);
  assert.deepEqual(errors, []);
  await context.close();
});
