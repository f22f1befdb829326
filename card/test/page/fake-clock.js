// A controllable clock for the browser tests, installed before any page script runs
// (Playwright addInitScript). setTimeout/setInterval and Date.now follow a virtual time that moves
// only when the test calls `await __clock.advance(ms)`, so backoff delays are measured exactly and
// no test sleeps on the wall clock. requestAnimationFrame stays real (the log renders per frame).
(() => {
  const channel = new MessageChannel();
  const waiting = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  // One real macrotask: every microtask (promise chains, Lit updates) has run when it resolves.
  const macrotask = () =>
    new Promise((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(0);
    });
  const realDateNow = Date.now.bind(Date);
  const base = Date.parse("2026-11-27T14:03:00Z");
  let now = 0;
  let nextId = 1;
  let order = 0;
  const timers = new Map();

  function add(fn, delay, args, repeat) {
    const ms = Math.max(0, Number(delay) || 0);
    const id = nextId++;
    timers.set(id, { id, fn, args, at: now + ms, every: repeat ? Math.max(1, ms) : 0, order: order++ });
    return id;
  }
  window.setTimeout = (fn, delay, ...args) => add(fn, delay, args, false);
  window.setInterval = (fn, delay, ...args) => add(fn, delay, args, true);
  window.clearTimeout = (id) => void timers.delete(id);
  window.clearInterval = (id) => void timers.delete(id);
  Date.now = () => base + now;

  function due(limit) {
    let best = null;
    for (const t of timers.values()) {
      if (t.at > limit) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.order < best.order)) best = t;
    }
    return best;
  }

  window.__clock = {
    /** Virtual milliseconds since the page started. */
    now: () => now,
    /** Timers waiting (for assertions). */
    pending: () => timers.size,
    realNow: realDateNow,
    macrotask,
    /** Move virtual time forward by `ms`, running every timer that falls due, in order. */
    async advance(ms) {
      const target = now + ms;
      for (let t = due(target); t; t = due(target)) {
        now = t.at;
        if (t.every) {
          t.at += t.every;
          t.order = order++;
        } else timers.delete(t.id);
        try {
          typeof t.fn === "function" ? t.fn(...t.args) : (0, eval)(String(t.fn));
        } catch (err) {
          reportError(err);
        }
        await macrotask();
      }
      now = target;
      await macrotask();
    },
    /** Let pending messages and renders settle without moving virtual time. */
    settle: async (rounds = 3) => {
      for (let i = 0; i < rounds; i += 1) await macrotask();
    },
  };
})();
