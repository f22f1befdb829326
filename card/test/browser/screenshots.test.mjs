// Screenshots of the card for a reviewer (light, dark, phone width), and the checks that they
// look right: theme colours applied, nothing wider than a phone screen.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ensureScreenshotDir, frame, launch, openPage, settle, startServer } from "./harness.mjs";

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

/** A card with a realistic log and an upload in progress. */
async function staged(options) {
  const opened = await openPage(browser, server.url, options);
  const { page } = opened;
  await page.evaluate(() => {
    const s = window.T.server;
    s.log("furby000", [
      { level: "info", kind: "connection", text: "Connected to Furby (8900) via proxy-kitchen" },
      { level: "debug", kind: "command", text: "keep-alive", data: { characteristic: "generalplus", hex: "20 06" } },
      { level: "info", kind: "command", text: "set antenna #ff6000", data: { characteristic: "generalplus", hex: "14 ff 60 00" } },
      { level: "info", kind: "event", text: "tail pulled" },
      { level: "info", kind: "command", text: "trigger action giggle (55/2/14/0)", data: { characteristic: "generalplus", hex: "13 00 37 02 0e 00" } },
      { level: "debug", kind: "reply", text: "action done", data: { characteristic: "generalplus", hex: "20 0d 00" } },
      { level: "info", kind: "upload", text: "upload tu003410.dlc: transferring" },
      { level: "warning", kind: "upload", text: "toy buffer full (11 packets): pausing" },
      { level: "error", kind: "error", text: "GATT write failed: retrying" },
    ]);
    window.T.add({ device_id: "furby000" });
  });
  await settle(page);
  await page.evaluate(() =>
    window.T.server.update("furby000", {
      upload: { upload_id: "u1", filename: "tu003410.dlc", phase: "transferring", percent: 42.5, bytes_sent: 480225, total_bytes: 1129942, rate: 4012.5, eta: 162, slot: null, error: null, message: null },
    }),
  );
  await page.getByRole("searchbox", { name: /Search the/ }).fill("giggle");
  await settle(page);
  await frame(page, 3);
  return opened;
}

async function shoot(page, name) {
  const path = join(ensureScreenshotDir(), name);
  // A viewport as tall as the card, so the screenshot shows the card as it renders in view.
  const { width } = page.viewportSize();
  const height = await page.locator("furby-connect-card").evaluate((el) => Math.ceil(el.getBoundingClientRect().bottom) + 16);
  await page.setViewportSize({ width, height });
  await frame(page, 3);
  const painted = await page.evaluate(() =>
    [...window.T.root().querySelectorAll(".log .row")].every((row) => row.firstElementChild.checkVisibility({ contentVisibilityAuto: true })),
  );
  assert.ok(painted, "every log row is rendered in the screenshot");
  await page.locator("furby-connect-card").screenshot({ path });
  console.log(`screenshot: ${path}`);
  return path;
}

const color = (page, selector, prop) => page.locator(selector).first().evaluate((el, p) => getComputedStyle(el)[p], prop);

test("light theme", async () => {
  const { page, context, errors } = await staged({ width: 800 });
  await shoot(page, "card-light.png");
  assert.equal(await color(page, "h2", "color"), "rgb(33, 33, 33)");
  assert.equal(await color(page, "ha-card", "backgroundColor"), "rgb(255, 255, 255)");
  assert.deepEqual(errors, []);
  await context.close();
});

test("dark theme", async () => {
  const { page, context, errors } = await staged({ width: 800, darkMode: true });
  await shoot(page, "card-dark.png");
  assert.equal(await color(page, "h2", "color"), "rgb(225, 225, 225)");
  assert.equal(await color(page, "ha-card", "backgroundColor"), "rgb(28, 28, 28)");
  assert.equal(await color(page, ".log", "backgroundColor"), "rgb(17, 17, 17)");
  assert.equal(await page.locator("furby-connect-card").evaluate((el) => getComputedStyle(el).colorScheme), "dark");
  assert.deepEqual(errors, []);
  await context.close();
});

test("phone width (375 px): nothing overflows sideways", async () => {
  const { page, context, errors } = await staged({ width: 375, height: 800 });
  await shoot(page, "card-phone.png");
  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => {
    const root = window.T.root();
    const wide = [];
    for (const el of root.querySelectorAll("*")) {
      if (el.closest(".log")) continue; // the log scrolls inside itself
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > document.documentElement.clientWidth + 0.5) wide.push(`${el.tagName}.${el.className}`);
    }
    return { wide, page: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth };
  });
  assert.deepEqual(overflow.wide, []);
  assert.ok(overflow.page <= overflow.viewport, `page ${overflow.page} px wide in a ${overflow.viewport} px viewport`);
  assert.deepEqual(errors, []);
  await context.close();
});
