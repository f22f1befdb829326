// The e2e steps that need the Furby card (custom:furby-connect-card, docs/websocket.md), run
// against the real card (card/src/) served by the integration as a Lovelace resource.
// run_e2e.mjs skips them, with the reason printed, while the element is not defined. Selectors use
// what the card shows (card/src/sections.js): its title (the device name), the status facts, the
// quick action buttons, the file input, the log rows. The card renders in its shadow root, so its
// text is read from the <ha-card> inside it (the host's innerText does not include shadow content).
import { waitFor } from "./ha.mjs";

/** The text the card shows, as rendered. */
function cardText(card) {
  return card.locator("ha-card").first().innerText();
}

/** The card showing `name` on the demo dashboard. */
async function cardFor(ctx, name) {
  await ctx.navigate("/lovelace/furbies");
  const card = ctx.page.locator(ctx.CARD_TAG, { hasText: name });
  await card.first().waitFor({ timeout: 30000 });
  return card.first();
}

async function cardRendersState(ctx) {
  const card = await cardFor(ctx, "Furby (0001)");
  // "Bluetooth" fact of the status section, filled from furby_connect/status/subscribe.
  const text = await waitFor("the card to show the Furby connected", async () => {
    const t = await cardText(card);
    return /Bluetooth\s+Connected/.test(t) ? t : null;
  });
  // The catalog (furby_connect/catalog) arrived: the search says how many actions match.
  await waitFor("the card's action catalog", async () =>
    /\d[\d,]* actions match/.test(await cardText(card)));
  const orientation = /Orientation\s+(.+)/.exec(text)?.[1] ?? "?";
  const file = await ctx.shot("card");
  return `card shows Furby (0001) connected, orientation ${orientation}, catalog loaded (${file})`;
}

async function cardControlSendsBytes(ctx) {
  const card = await cardFor(ctx, "Furby (0001)");
  const after = await ctx.lastWriteTime(ctx.TOY1);
  await card.getByRole("button", { name: /giggle/i }).first().click();
  // An action is `13 00 II XX YY ZZ` on GeneralPlus (docs/protocol.md §3.1).
  const write = await ctx.toyReceived(ctx.TOY1, "generalplus", "13 00", { after });
  await ctx.shot("card-control");
  return `the toy received ${write.hex}`;
}

async function tongueInCardLog(ctx) {
  const card = await cardFor(ctx, "Furby (0001)");
  await ctx.ha.call("furby_demo", "interact", { address: ctx.TOY1, interaction: "tongue" });
  // A row of the live log (furby_connect/log/subscribe), not the status fact "Last interaction".
  await waitFor("the card's log to show the tongue press", async () =>
    card.locator(".log").first().innerText().then((t) => /Interaction: tongue/.test(t)));
  await waitFor("the card's status to show the tongue press", async () =>
    /Last interaction\s+Tongue/.test(await cardText(card)));
  await card.locator(".log").first().scrollIntoViewIfNeeded();
  await ctx.shot("card-log-tongue");
  return "tongue press in the card's log and as its last interaction";
}

async function dlcUploadFromCard(ctx) {
  const dlc = process.env.E2E_DLC;
  if (!dlc) throw new Error("E2E_DLC (a synthetic DLC file) is not set");
  const card = await cardFor(ctx, "Furby (0001)");
  const before = await ctx.ha.inspect(ctx.TOY1, 0);
  // Choosing the file starts the upload (POST /api/file_upload, then upload_dlc).
  await card.locator('input[type="file"]').setInputFiles(dlc);
  // Progress ("12.3 % · ...") while it runs; the log keeps each phase ("Upload X: transferring").
  await waitFor("upload progress in the card", async () =>
    /\d % ·|: transferring/.test(await cardText(card)), { ms: 30000, every: 100 });
  await ctx.shot("card-upload-progress");
  await waitFor("the upload to end in done", async () =>
    /uploaded to slot \d+/.test(await cardText(card)), { ms: 180000, every: 500 });
  const toy = await waitFor("a new active slot on the toy", async () => {
    const t = await ctx.ha.inspect(ctx.TOY1, 0);
    return t.active_slots.some((slot) => !before.filled_slots.includes(slot)) ? t : null;
  });
  const slot = toy.active_slots.find((s) => !before.filled_slots.includes(s));
  await waitFor(`the card to show slot ${slot} active`, async () =>
    new RegExp(`Active slot\\s+${slot}\\b`).test(await cardText(card)));
  await ctx.shot("card-upload-done");
  return `uploaded, slot ${slot} active on the toy and in the card`;
}

async function cardLiveAfterRestart(ctx) {
  const card = await cardFor(ctx, "Furby (0001)");
  const before = ctx.probeBeforeRestart?.live ?? {};
  const cardsBefore = ctx.cardsBeforeRestart ?? 0;
  const types = ["furby_connect/status/subscribe", "furby_connect/log/subscribe"];
  if (!cardsBefore) throw new Error("no Furby card on the page before the restart");
  for (const type of types) {
    if (before[type] !== cardsBefore) {
      throw new Error(`${type}: ${before[type] ?? 0} subscriptions for ${cardsBefore} cards before the restart`);
    }
  }
  // The dashboard may hold more cards now (the demo adds one per Furby set up, and the frontend
  // fetches the dashboard again after the restart): each card holds one of each, no more.
  let cards = 0;
  const stats = await waitFor("each card's two subscriptions to be back", async () => {
    cards = await ctx.page.locator(ctx.CARD_TAG).count();
    const s = await ctx.page.evaluate(() => window.__furbyWs.stats());
    return cards > 0 && types.every((type) => s.live[type] === cards) ? s : null;
  }, { ms: 60000 });
  const extra = Object.keys(stats.live).filter((type) => !types.includes(type));
  if (extra.length) throw new Error(`unexpected subscriptions: ${extra.join(", ")}`);
  await ctx.ha.call("furby_demo", "interact", { address: ctx.TOY1, interaction: "tickle_tummy" });
  await waitFor("the card's log to resume", async () =>
    card.locator(".log").first().innerText().then((t) => /Interaction: tickle_tummy/.test(t)),
    { ms: 60000 });
  const after = await ctx.page.evaluate(() => window.__furbyWs.stats());
  for (const type of types) {
    if (after.live[type] !== cards) throw new Error(`${type}: ${after.live[type]} for ${cards} cards`);
  }
  await card.locator(".log").first().scrollIntoViewIfNeeded();
  await ctx.shot("card-after-restart");
  return `${cardsBefore} card(s) with one status and one log subscription each before the restart, ` +
    `${cards} with one each after it (${JSON.stringify(after.live)}); the log resumed`;
}

export const cardSteps = [
  { name: "card renders the Furby's state", run: cardRendersState, card: true, phase: "before-events" },
  { name: "card control → the toy receives the bytes", run: cardControlSendsBytes, card: true, phase: "before-restart" },
  { name: "tongue press → card's log", run: tongueInCardLog, card: true, phase: "before-restart" },
  { name: "DLC upload from the card's file picker", run: dlcUploadFromCard, card: true, phase: "before-restart" },
  { name: "card live after restart, one subscription each, log resumes", run: cardLiveAfterRestart, card: true, phase: "after-restart" },
];
