// The e2e steps that need the Furby card (custom:furby-connect-card, see the websocket/card
// contract). run_e2e.mjs skips them, with the reason printed, while the element is not defined;
// once the card lands they run as they are. Selectors use only what the contract fixes (the
// element name, the Furby's name, a file input, visible words); adjust them here if the card's
// wording differs.
import { waitFor } from "./ha.mjs";

/** The card showing `name` on the demo dashboard. */
async function cardFor(ctx, name) {
  await ctx.navigate("/lovelace/furbies");
  const card = ctx.page.locator(ctx.CARD_TAG, { hasText: name });
  await card.first().waitFor({ timeout: 30000 });
  return card.first();
}

async function cardRendersState(ctx) {
  const card = await cardFor(ctx, "Furby (0001)");
  await waitFor("the card to show the Furby connected", async () =>
    /connected/i.test(await card.innerText()));
  const file = await ctx.shot("card");
  return `card shows Furby (0001) connected (${file})`;
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
  await waitFor("the card's log to show the tongue press", async () =>
    /tongue/i.test(await card.innerText()));
  await ctx.shot("card-log-tongue");
  return "tongue press in the card's log";
}

async function dlcUploadFromCard(ctx) {
  const dlc = process.env.E2E_DLC;
  if (!dlc) throw new Error("E2E_DLC (a synthetic DLC file) is not set");
  const card = await cardFor(ctx, "Furby (0001)");
  const before = await ctx.ha.inspect(ctx.TOY1, 0);
  await card.locator('input[type="file"]').setInputFiles(dlc);
  const start = card.getByRole("button", { name: /upload/i });
  if (await start.count()) await start.first().click();
  await waitFor("upload progress in the card", async () => /%/.test(await card.innerText()), { ms: 30000 });
  await ctx.shot("card-upload-progress");
  await waitFor("the upload to end in done", async () => /\bdone\b/i.test(await card.innerText()),
    { ms: 180000, every: 500 });
  const toy = await waitFor("a new active slot on the toy", async () => {
    const t = await ctx.ha.inspect(ctx.TOY1, 0);
    return t.active_slots.some((slot) => !before.filled_slots.includes(slot)) ? t : null;
  });
  const slot = toy.active_slots.find((s) => !before.filled_slots.includes(s));
  await waitFor(`the card's slot table to show slot ${slot} active`, async () =>
    new RegExp(`\\b${slot}\\b[^\\n]*active`, "i").test(await card.innerText()));
  await ctx.shot("card-upload-done");
  return `uploaded, slot ${slot} active on the toy and in the card`;
}

async function cardLiveAfterRestart(ctx) {
  const card = await cardFor(ctx, "Furby (0001)");
  const before = ctx.probeBeforeRestart?.live ?? {};
  if (!Object.keys(before).length) throw new Error("the cards held no subscription before the restart");
  const stats = await waitFor("the card's subscriptions to be back", async () => {
    const s = await ctx.page.evaluate(() => window.__furbyWs.stats());
    const total = Object.values(s.live).reduce((a, b) => a + b, 0);
    return total > 0 ? s : null;
  }, { ms: 60000 });
  for (const type of new Set([...Object.keys(before), ...Object.keys(stats.live)])) {
    const count = stats.live[type] ?? 0;
    if (count !== before[type]) {
      throw new Error(`${type}: ${count} subscriptions after the restart, ${before[type] ?? 0} before`);
    }
  }
  await ctx.ha.call("furby_demo", "interact", { address: ctx.TOY1, interaction: "tickle_tummy" });
  await waitFor("the card's log to resume", async () => /tickle/i.test(await card.innerText()));
  await ctx.shot("card-after-restart");
  return `live again: ${JSON.stringify(stats.live)}; the log resumed`;
}

export const cardSteps = [
  { name: "card renders the Furby's state", run: cardRendersState, card: true, phase: "before-events" },
  { name: "card control → the toy receives the bytes", run: cardControlSendsBytes, card: true, phase: "before-restart" },
  { name: "tongue press → card's log", run: tongueInCardLog, card: true, phase: "before-restart" },
  { name: "DLC upload from the card's file picker", run: dlcUploadFromCard, card: true, phase: "before-restart" },
  { name: "card live after restart, one subscription each, log resumes", run: cardLiveAfterRestart, card: true, phase: "after-restart" },
];
