/**
 * Registering the card so that it survives the ways Home Assistant can load it.
 *
 * - Loaded twice (as a Lovelace resource and an extra module, or under two `?v=` URLs), the second
 *   module run must not call `define` again: every define is guarded with `customElements.get`.
 * - Home Assistant's `app.js` replaces `window.customElements` with a scoped-registry polyfill. A
 *   module that runs before that swap defines the card in the old registry, where Lovelace never
 *   looks ("Custom element doesn't exist"). So for a while after loading, the registry is checked
 *   again, and the card is defined in a new one (as a subclass: a constructor can be registered
 *   only once per underlying registry).
 */

const RECHECK_MS = 200;
const RECHECK_FOR_MS = 60000;

/** Define `tag` as `ctor` unless some definition exists; then keep it defined across a swap. */
export function defineOnce(tag, ctor) {
  const first = window.customElements;
  if (!first.get(tag)) first.define(tag, ctor);
  let waited = 0;
  const timer = setInterval(() => {
    waited += RECHECK_MS;
    const registry = window.customElements;
    if (registry !== first) {
      if (!registry.get(tag)) registry.define(tag, class extends ctor {});
      clearInterval(timer);
    } else if (waited >= RECHECK_FOR_MS) {
      clearInterval(timer);
    }
  }, RECHECK_MS);
}

/** Add the card to the card picker once, whatever the number of module runs. */
export function registerCardPicker(entry) {
  window.customCards = window.customCards || [];
  if (!window.customCards.some((card) => card && card.type === entry.type)) {
    window.customCards.push(entry);
  }
}
