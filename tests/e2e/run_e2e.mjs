// End-to-end test: a real Home Assistant (started by scripts/test_e2e through scripts/demo) with
// two virtual Furbies, driven through a headless Chromium and the REST API.
//
// Environment (set by scripts/test_e2e): E2E_BASE (http://127.0.0.1:PORT), E2E_STATE (the demo's
// state folder: credentials, hass.pgid, config/), E2E_SHOTS (screenshot folder), E2E_DLC (a
// synthetic DLC file for the card's upload step), CHROMIUM (the browser binary).
//
// Steps that need the Furby card (custom:furby-connect-card) are separate functions marked
// `card: true`; they are skipped with a printed reason while the element is not defined.
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { HomeAssistant, groupPids, listenersOf, readKeyValues, waitFor } from "./ha.mjs";
import { cardSteps } from "./card_steps.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// playwright-core from the repository root's node_modules (package.json there, or --no-save).
const { chromium } = createRequire(`${REPO}/`)("playwright-core");

const BASE = process.env.E2E_BASE ?? "http://127.0.0.1:18123";
const STATE = process.env.E2E_STATE ?? `${REPO}/.cache/e2e/demo`;
const SHOTS = process.env.E2E_SHOTS ?? `${REPO}/.cache/e2e-screenshots`;
const PORT = new URL(BASE).port;
const TOY1 = "F1:23:45:67:00:01"; // set up by the demo (--setup one)
const TOY2 = "F1:23:45:67:00:02"; // waits in discovery
const CARD_TAG = "furby-connect-card";

mkdirSync(SHOTS, { recursive: true });
const credentials = readKeyValues(`${STATE}/credentials`);
const ha = new HomeAssistant(BASE, credentials.username, credentials.password);

// Shared between steps.
const ctx = { ha, BASE, SHOTS, TOY1, TOY2, CARD_TAG, page: null, devices: {}, entities: {} };
let shotCount = 0;
async function shot(name) {
  shotCount += 1;
  const file = path.join(SHOTS, `${String(shotCount).padStart(2, "0")}-${name}.png`);
  await ctx.page.screenshot({ path: file });
  return file;
}
ctx.shot = shot;

/** Navigate inside the single-page app (keeps the socket and the in-memory token). */
async function navigate(url) {
  await ctx.page.evaluate((to) => {
    history.pushState(null, "", to);
    window.dispatchEvent(new CustomEvent("location-changed"));
  }, url);
}
ctx.navigate = navigate;

/** callWS through the logged-in frontend. */
function callWS(message) {
  return ctx.page.evaluate((msg) => document.querySelector("home-assistant").hass.callWS(msg), message);
}
ctx.callWS = callWS;

/** The furby_connect device id and entity ids of a toy (from the registries). */
async function furbyRegistry(address) {
  const entities = await callWS({ type: "config/entity_registry/list" });
  const mine = entities.filter((e) => e.platform === "furby_connect" && e.unique_id.startsWith(`${address}_`));
  if (!mine.length) return null;
  const byKey = Object.fromEntries(mine.map((e) => [e.unique_id.slice(address.length + 1), e.entity_id]));
  return { deviceId: mine[0].device_id, entities: byKey };
}
ctx.furbyRegistry = furbyRegistry;

/** Wait until the toy has received a command whose bytes start with `hex` on `characteristic`. */
async function toyReceived(address, characteristic, hex, { after = 0, ms = 20000 } = {}) {
  return waitFor(`${address} to receive ${characteristic} ${hex}`, async () => {
    const toy = await ha.inspect(address, 200);
    return toy.writes.find((w) => w.time > after && w.characteristic === characteristic &&
      w.hex.startsWith(hex));
  }, { ms });
}
ctx.toyReceived = toyReceived;

async function lastWriteTime(address) {
  const toy = await ha.inspect(address, 1);
  return toy.writes.length ? toy.writes[toy.writes.length - 1].time : 0;
}
ctx.lastWriteTime = lastWriteTime;

async function waitEntriesLoaded(titles, ms = 60000) {
  return waitFor(`entries ${titles.join(", ")} loaded`, async () => {
    const entries = await ha.entries("furby_connect");
    return titles.every((t) => entries.some((e) => e.title === t && e.state === "loaded"));
  }, { ms });
}

// ---------------------------------------------------------------------------------------------
// Steps that need only Home Assistant and the virtual Furbies (live now).

async function loopbackOnly() {
  const pgid = readFileSync(`${STATE}/hass.pgid`, "utf8").trim();
  const listeners = listenersOf(groupPids(pgid));
  if (!listeners.length) throw new Error("no listener found for Home Assistant's processes");
  const others = listeners.filter((l) => l !== `127.0.0.1:${PORT}`);
  if (others.length) throw new Error(`Home Assistant also listens on ${others.join(", ")}`);
  return `listens only on ${listeners.join(", ")}`;
}

async function browserLogin() {
  await ha.login();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic"],
  });
  ctx.browser = browser;
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  ctx.page = page;
  await page.addInitScript({ path: path.join(REPO, "tests/e2e/ws_probe.js") });
  // The frontend's own unhandled rejections around reconnects are logged, not judged.
  page.on("pageerror", (err) => console.log(`  [page error, not checked] ${err.message}`));
  await page.goto(await ha.browserLoginUrl("/"));
  await waitFor("the frontend to connect", () =>
    page.evaluate(() => document.querySelector("home-assistant")?.hass?.connected === true));
  // The default view is the demo dashboard with a note and one Furby card per set-up Furby.
  await waitFor("the Furby dashboard as the default view", async () =>
    page.url().endsWith("/lovelace/furbies") &&
      await page.getByText("virtual Furbies").first().isVisible(), { ms: 60000 });
  const cards = await page.evaluate(() => {
    const hass = document.querySelector("home-assistant").hass;
    return hass.panels.lovelace ? true : false;
  });
  if (!cards) throw new Error("no lovelace panel");
  const file = await shot("dashboard");
  return `logged in without the login page; default view ${new URL(page.url()).pathname} (${path.basename(file)})`;
}

async function discoveredFlowFromUi() {
  const { page } = ctx;
  await navigate("/config/integrations/dashboard");
  const card = page.locator("ha-config-flow-card", { hasText: "Furby (0002)" });
  await card.waitFor({ timeout: 60000 });
  await shot("discovered");
  await card.getByRole("button", { name: "Add" }).click();
  const submit = page.getByRole("button", { name: "Submit" });
  await submit.waitFor({ timeout: 30000 });
  await shot("confirm-form");
  await submit.click();
  const finish = page.getByRole("button", { name: /finish/i });
  await finish.waitFor({ timeout: 30000 });
  await shot("flow-created");
  await finish.click();
  await waitEntriesLoaded(["Furby (0001)", "Furby (0002)"]);
  const toy2 = await waitFor("Furby (0002) registered", () => furbyRegistry(TOY2));
  ctx.devices[TOY2] = toy2;
  await waitFor("the second toy connected", async () => (await ha.inspect(TOY2, 0)).connected);
  return `Furby (0002) set up from Settings → Devices & services; entry loaded, toy connected`;
}

async function tongueEvent() {
  const toy1 = await waitFor("Furby (0001) registered", () => furbyRegistry(TOY1));
  ctx.devices[TOY1] = toy1;
  const eventId = toy1.entities.interaction;
  const before = (await ha.state(eventId)).state;
  await ha.call("furby_demo", "interact", { address: TOY1, interaction: "tongue", seconds: 0.5 });
  const state = await waitFor(`${eventId} to record a tongue press`, async () => {
    const s = await ha.state(eventId);
    return s.state !== before && s.attributes.event_type === "tongue" ? s : null;
  });
  // The device page lists the event entity with its last event.
  await navigate(`/config/devices/device/${toy1.deviceId}`);
  await ctx.page.getByText("Furby (0001)").first().waitFor({ timeout: 30000 });
  await page_settle();
  await shot("after-tongue");
  return `${eventId} = ${state.state} (event_type tongue)`;
}

async function page_settle() {
  await ctx.page.waitForTimeout(500); // rendering only; nothing is asserted on time
}

async function serviceBytes() {
  const { deviceId } = ctx.devices[TOY1];
  const after = await lastWriteTime(TOY1);
  await ha.call("furby_connect", "set_antenna", { device_id: deviceId, red: 255, green: 64, blue: 0 });
  await toyReceived(TOY1, "generalplus", "14 ff 40 00", { after });
  await ha.call("furby_connect", "set_name", { device_id: deviceId, name_id: 42 });
  await toyReceived(TOY1, "generalplus", "21 2a", { after });
  await ha.call("furby_connect", "set_mood", { device_id: deviceId, meter: "fullness", value: 77, mode: "set" });
  await waitFor("the toy's fullness to be 77", async () => (await ha.inspect(TOY1, 0)).moods["3"] === 77);
  return "set_antenna → 14 ff 40 00, set_name → 21 2a, set_mood → fullness 77 on the toy";
}

async function uploadThroughApi() {
  const dlc = process.env.E2E_DLC;
  if (!dlc) throw new Error("E2E_DLC (a synthetic DLC file) is not set");
  const { deviceId, entities } = ctx.devices[TOY2];
  const before = await ha.inspect(TOY2, 0);
  const fileId = await ha.uploadFile("e2e.dlc", readFileSync(dlc));
  await ha.call("furby_connect", "upload_dlc", { device_id: deviceId, file_id: fileId, activate: true });
  const progress = entities.upload_progress;
  const seen = new Set();
  const done = await waitFor("the upload to end in done", async () => {
    const s = await ha.state(progress);
    seen.add(s.attributes.phase);
    if (s.attributes.phase === "failed") throw new Error(`upload failed: ${s.attributes.error}`);
    return s.attributes.phase === "done" ? s : null;
  }, { ms: 120000, every: 200 });
  const toy = await ha.inspect(TOY2, 0);
  const added = toy.active_slots.filter((slot) => !before.filled_slots.includes(slot));
  if (added.length !== 1) throw new Error(`expected one new active slot, toy reports ${JSON.stringify(toy)}`);
  const slotSensor = await ha.state(entities.active_slot);
  if (Number(slotSensor.state) !== added[0]) {
    throw new Error(`active slot sensor ${slotSensor.state}, toy's new active slot ${added[0]}`);
  }
  return `${done.attributes.total_bytes} bytes, phases seen ${[...seen].join(" → ")}, ` +
    `${done.state} %; slot ${added[0]} active on the toy and in the sensor`;
}

async function persistedState() {
  const e = ctx.devices[TOY1].entities;
  const light = await ha.state(e.antenna);
  const name = await ha.state(e.name);
  const fullness = await ha.state(e.fullness);
  return {
    rgb: JSON.stringify(light.attributes.rgb_color),
    lightOn: light.state,
    name: name.state,
    fullness: Number(fullness.state),
  };
}

async function restartKeepsState() {
  const before = await persistedState();
  if (before.rgb !== "[255,64,0]" || before.fullness !== 77 || before.name === "unknown") {
    throw new Error(`state before restart not as set: ${JSON.stringify(before)}`);
  }
  await navigate("/lovelace/furbies"); // the cards (once they exist) hold their subscriptions
  await page_settle();
  ctx.probeBeforeRestart = await ctx.page.evaluate(() => window.__furbyWs?.stats());
  ctx.cardsBeforeRestart = await ctx.page.locator(CARD_TAG).count();
  await ha.call("homeassistant", "restart", {}).catch(() => null); // the socket may drop first
  await waitFor("Home Assistant to go down", async () => !(await ha.running()), { ms: 60000, every: 200 });
  await waitFor("Home Assistant to run again", () => ha.running(), { ms: 180000, every: 500 });
  await waitEntriesLoaded(["Furby (0001)", "Furby (0002)"], 90000);
  await waitFor("the first toy connected again", async () => (await ha.inspect(TOY1, 0)).connected, { ms: 60000 });
  const after = await persistedState();
  for (const key of ["rgb", "name", "fullness"]) {
    if (after[key] !== before[key]) {
      throw new Error(`${key} changed over the restart: ${before[key]} → ${after[key]}`);
    }
  }
  // The frontend reconnects by itself; events flow again after the restart.
  await waitFor("the frontend to reconnect", () =>
    ctx.page.evaluate(() => document.querySelector("home-assistant")?.hass?.connected === true), { ms: 60000 });
  const eventId = ctx.devices[TOY1].entities.interaction;
  const last = (await ha.state(eventId)).state;
  await ha.call("furby_demo", "interact", { address: TOY1, interaction: "tail_pull", seconds: 0.5 });
  await waitFor("an event after the restart", async () => {
    const s = await ha.state(eventId);
    return s.state !== last && s.attributes.event_type === "tail_pull";
  });
  await navigate("/lovelace/furbies");
  await page_settle();
  await shot("after-restart");
  return `antenna ${after.rgb}, name ${after.name}, fullness ${after.fullness} kept; events flow again`;
}

// ---------------------------------------------------------------------------------------------

const steps = [
  { name: "listens on 127.0.0.1 only", run: loopbackOnly },
  { name: "browser login, Furby dashboard is the default view", run: browserLogin },
  { name: "discovered Furby set up from the UI", run: discoveredFlowFromUi },
  ...cardSteps.filter((s) => s.phase === "before-events"),
  { name: "tongue press → event entity state", run: tongueEvent },
  { name: "service calls → the toy receives the right bytes", run: serviceBytes },
  { name: "DLC upload through the API (file_upload + upload_dlc) ends in done, slot active", run: uploadThroughApi },
  ...cardSteps.filter((s) => s.phase === "before-restart"),
  { name: "restart: persisted state intact, events flow", run: restartKeepsState },
  ...cardSteps.filter((s) => s.phase === "after-restart"),
];

const results = [];
let failedAlready = false;
for (const step of steps) {
  const started = Date.now();
  let status;
  let detail;
  if (failedAlready) {
    status = "skipped";
    detail = "an earlier step failed";
  } else if (step.card && !(await cardDefined())) {
    status = "skipped";
    detail = `the ${CARD_TAG} element is not defined yet (the card has not landed)`;
  } else {
    try {
      detail = await step.run(ctx);
      status = "passed";
    } catch (err) {
      status = "failed";
      detail = err.stack ?? String(err);
      failedAlready = true;
      if (ctx.page) await shot(`FAILED-${step.name.replace(/[^a-z0-9]+/gi, "-")}`).catch(() => null);
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ name: step.name, status });
  console.log(`${status.toUpperCase().padEnd(7)} ${step.name} (${seconds} s)${detail ? `\n        ${detail}` : ""}`);
}

async function cardDefined() {
  if (!ctx.page) return false;
  try {
    await ctx.page.waitForFunction((tag) => customElements.get(tag) !== undefined, CARD_TAG, { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

await ctx.browser?.close();
const count = (s) => results.filter((r) => r.status === s).length;
console.log(`\nscreenshots: ${SHOTS}`);
console.log(`e2e: ${count("passed")} passed, ${count("failed")} failed, ${count("skipped")} skipped`);
process.exit(count("failed") ? 1 : 0);
