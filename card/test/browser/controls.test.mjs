// The card's controls in a real browser: every control calls the contract's service with the
// right data, works from the keyboard, has an accessible name; the DLC upload (picker and
// drag-and-drop) with progress, rate, ETA and cancel.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { contractCatalog, launch, openPage, settle, startServer } from "./harness.mjs";

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

async function withCard() {
  const opened = await openPage(browser, server.url);
  await opened.page.evaluate(() => window.T.add({ device_id: "furby000" }));
  await settle(opened.page);
  return opened;
}

const calls = (page) => page.evaluate(() => window.T.serviceCalls.splice(0));
const D = { device_id: "furby000" };

test("status is shown and every control calls its service", async () => {
  const { page, context, errors } = await withCard();
  const facts = await page.locator(".facts").textContent();
  for (const text of ["Connected", "Upright", "Tail pull", "On", "#ff6000", "Dah-Boo", "2"]) assert.ok(facts.includes(text), text);

  await page.locator("#antenna").fill("#00ff00");
  await page.getByRole("button", { name: "Antenna off" }).click();
  await page.getByRole("switch", { name: "Eyes" }).click();
  await page.getByRole("combobox", { name: "Name" }).selectOption({ label: "Ah-Boh" });
  await page.getByRole("button", { name: "Set name" }).click();
  await page.getByRole("button", { name: "Giggle" }).click();
  await settle(page);
  assert.deepEqual(await calls(page), [
    { domain: "furby_connect", service: "set_antenna", data: { ...D, red: 0, green: 255, blue: 0 } },
    { domain: "furby_connect", service: "set_antenna", data: { ...D, red: 0, green: 0, blue: 0 } },
    { domain: "switch", service: "turn_off", data: { entity_id: "switch.furby000_eyes" } },
    { domain: "furby_connect", service: "set_name", data: { ...D, name_id: 1 } },
    { domain: "furby_connect", service: "trigger_action", data: { ...D, action: "giggle" } },
  ]);
  assert.match(await page.locator(".notice").textContent(), /Sent: Giggle/);

  // Moods from the keyboard: one arrow press sets the meter one step up.
  await page.getByRole("slider", { name: "Excitedness" }).focus();
  await page.keyboard.press("ArrowRight");
  await settle(page);
  assert.deepEqual(await calls(page), [
    { domain: "furby_connect", service: "set_mood", data: { ...D, meter: "excitedness", value: 71, mode: "set" } },
  ]);

  // The toy reports new state: the card follows.
  await page.evaluate(() => window.T.server.update("furby000", { eyes_on: false, orientation: "on_left_side", connected: false }));
  await settle(page);
  assert.equal(await page.getByRole("switch", { name: "Eyes" }).getAttribute("aria-checked"), "false");
  assert.match(await page.locator(".facts").textContent(), /On left side/);
  assert.equal(await page.locator(".badge").textContent(), "Not connected");
  assert.deepEqual(errors, []);
  await context.close();
});

test("the action picker searches the whole catalog by text and category", async () => {
  const { page, context, errors } = await withCard();
  const total = (await contractCatalog()).actions.length;
  assert.ok(total > 1700);
  assert.ok((await page.locator("label[for=action-search]").textContent()).includes(`${total.toLocaleString("en")} actions`));
  await page.getByRole("searchbox", { name: /Search the/ }).fill("giggle");
  await settle(page);
  const giggles = await page.locator(".results .what").allTextContents();
  assert.ok(giggles.length > 0 && giggles.every((t) => /giggle/i.test(t)), giggles.join("|"));
  await page.getByRole("searchbox", { name: /Search the/ }).fill("");
  await page.getByRole("combobox", { name: "Category" }).selectOption("Singing");
  await settle(page);
  const metas = await page.locator(".results .meta").allTextContents();
  assert.ok(metas.length > 0 && metas.every((t) => t.startsWith("Singing")));
  await page.getByRole("searchbox", { name: /Search the/ }).fill("55/2/14/0");
  await page.getByRole("combobox", { name: "Category" }).selectOption("");
  await settle(page);
  assert.match(await page.locator(".actions .hint").textContent(), /^1 action matches\.$/);
  await page.getByRole("button", { name: /^Play .*\(55\/2\/14\/0\)$/ }).press("Enter");
  await settle(page);
  assert.deepEqual(await calls(page), [
    { domain: "furby_connect", service: "trigger_action", data: { ...D, input: 55, index: 2, subindex: 14, specific: 0 } },
  ]);
  await page.getByRole("searchbox", { name: /Search the/ }).fill("zzzz no such thing");
  await settle(page);
  assert.equal(await page.locator(".actions .hint").textContent(), "No action matches.");
  assert.deepEqual(errors, []);
  await context.close();
});

test("a failing service shows its message as an error", async () => {
  const { page, context, errors } = await withCard();
  await page.evaluate(() => {
    window.T.hass.serviceFailure = { code: "home_assistant_error", message: "Furby (8900) is not connected" };
  });
  await page.getByRole("button", { name: "Puke" }).click();
  await settle(page);
  assert.equal((await page.locator(".notice").textContent()).trim(), "Furby (8900) is not connected");
  assert.match(await page.locator(".notice").getAttribute("class"), /error/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("DLC upload: file picker -> /api/file_upload -> upload_dlc; progress, rate, ETA, cancel", async () => {
  const { page, context, errors } = await withCard();
  await page.getByLabel("Activate when done").uncheck();
  await page.locator("#dlc-file").setInputFiles({ name: "tu003410.dlc", mimeType: "application/octet-stream", buffer: Buffer.alloc(4096, 7) });
  await settle(page);
  assert.deepEqual(await page.evaluate(() => window.T.uploads), [{ path: "/api/file_upload", method: "POST", name: "tu003410.dlc", size: 4096 }]);
  assert.deepEqual(await calls(page), [
    { domain: "furby_connect", service: "upload_dlc", data: { ...D, file_id: "file-1", activate: false } },
  ]);
  await page.evaluate(() =>
    window.T.server.update("furby000", {
      upload: { upload_id: "u1", filename: "tu003410.dlc", phase: "transferring", percent: 42.5, bytes_sent: 480225, total_bytes: 1129942, rate: 4012.5, eta: 252, slot: null, error: null, message: null },
    }),
  );
  await settle(page);
  assert.equal(await page.locator(".upload progress").evaluate((p) => p.value), 42.5);
  assert.equal(await page.locator(".figures").textContent(), "42.5 % · 480.2 kB of 1.13 MB · 4.0 kB/s · 4 min 12 s left");
  await page.getByRole("button", { name: "Cancel upload" }).click();
  await settle(page);
  assert.deepEqual(await calls(page), [{ domain: "furby_connect", service: "cancel_upload", data: { ...D } }]);
  await page.evaluate(() =>
    window.T.server.update("furby000", { upload: { upload_id: "u1", filename: "tu003410.dlc", phase: "cancelled", percent: 42.5, bytes_sent: 480225, total_bytes: 1129942, rate: null, eta: null, slot: null, error: null, message: null } }),
  );
  await settle(page);
  assert.match(await page.locator(".upload").textContent(), /upload cancelled/);
  assert.equal(await page.locator("#dlc-file").isEnabled(), true, "the picker is back");
  assert.deepEqual(errors, []);
  await context.close();
});

test("DLC upload by drag-and-drop, and bad files refused before sending", async () => {
  const { page, context, errors } = await withCard();
  const drop = (name, size) =>
    page.locator(".drop").evaluate(
      (zone, [n, s]) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(s)], n));
        zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: data, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
      },
      [name, size],
    );
  await drop("empty.dlc", 0);
  await settle(page);
  assert.match(await page.locator(".upload [role=alert]").textContent(), /empty\.dlc is empty/);
  assert.deepEqual(await page.evaluate(() => window.T.uploads), []);
  await drop("dropped.dlc", 1000);
  await settle(page);
  assert.deepEqual(await page.evaluate(() => window.T.uploads.map((u) => u.name)), ["dropped.dlc"]);
  assert.deepEqual(await calls(page), [
    { domain: "furby_connect", service: "upload_dlc", data: { ...D, file_id: "file-1", activate: true } },
  ]);
  assert.deepEqual(errors, []);
  await context.close();
});

test("cancelling while the file is still going to Home Assistant aborts the POST; no upload starts", async () => {
  const { page, context, errors } = await withCard();
  await page.evaluate(() => {
    window.T.hass.holdUploads = true;
  });
  await page.locator("#dlc-file").setInputFiles({ name: "big.dlc", mimeType: "application/octet-stream", buffer: Buffer.alloc(2048, 1) });
  await settle(page);
  assert.match(await page.locator(".upload").textContent(), /big\.dlc: sending to Home Assistant/);
  await page.getByRole("button", { name: "Cancel upload" }).click();
  await settle(page);
  assert.equal((await page.locator(".upload [role=alert]").textContent()).trim(), "Upload cancelled.");
  assert.deepEqual(await calls(page), [], "upload_dlc was never called");
  assert.equal(await page.locator("#dlc-file").isEnabled(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test("uploads are offered to administrators only", async () => {
  const opened = await openPage(browser, server.url);
  const { page, context } = opened;
  await page.evaluate(() => {
    window.T.hass = { ...window.T.hass, user: { id: "u2", name: "Kid", is_admin: false } };
    window.T.add({ device_id: "furby000" });
  });
  await settle(page);
  assert.equal(await page.locator("#dlc-file").isDisabled(), true);
  assert.match(await page.locator(".upload").textContent(), /need an administrator/);
  // A file dropped anyway is refused in the card, before anything is sent.
  await page.locator(".drop").evaluate((zone) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(10)], "x.dlc"));
    zone.dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  });
  await settle(page);
  assert.deepEqual(await page.evaluate(() => window.T.uploads), []);
  assert.match(await page.locator(".upload [role=alert]").textContent(), /administrator/);
  await context.close();
});

test("every control is reachable with Tab and has an accessible name", async () => {
  const { page, context, errors } = await withCard();
  await page.getByRole("searchbox", { name: /Search the/ }).fill("giggle");
  await settle(page);
  // Tab through the page and note each focused control inside the card.
  const seen = [];
  await page.locator("body").focus();
  for (let i = 0; i < 80; i += 1) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      let el = document.activeElement;
      while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
      return el ? el.id || el.textContent.trim().slice(0, 20) || el.tagName : null;
    });
    if (focused) seen.push(focused);
  }
  for (const id of ["antenna", "eyes", "name", "mood-excitedness", "mood-wellness", "action-search", "action-category", "dlc-file", "dlc-activate", "log-level"]) {
    assert.ok(seen.includes(id), `${id} reachable with Tab`);
  }
  for (const text of ["Giggle", "Play", "Pause", "Clear", "Download", "Set", "Antenna off"]) assert.ok(seen.includes(text), `${text} reachable`);
  // Every interactive node in the accessibility tree has a name.
  const cdp = await context.newCDPSession(page);
  const { nodes } = await cdp.send("Accessibility.getFullAXTree");
  const roles = new Set(["button", "switch", "slider", "combobox", "searchbox", "textbox", "checkbox", "ColorWell"]);
  const controls = nodes.filter((n) => !n.ignored && roles.has(n.role?.value));
  assert.ok(controls.length >= 20, `${controls.length} controls`);
  const unnamed = controls.filter((n) => !n.name?.value?.trim()).map((n) => n.role.value);
  assert.deepEqual(unnamed, [], "controls without an accessible name");
  assert.deepEqual(errors, []);
  await context.close();
});
