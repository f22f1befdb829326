// Injected into every page before the frontend loads: counts the furby_connect subscriptions the
// page holds on Home Assistant's websocket (a subscribe with a result not yet unsubscribed, on a
// socket still open), so the e2e test can check that the card holds exactly one after a restart.
(() => {
  const sockets = new Set();
  const NativeWebSocket = window.WebSocket;
  const origSend = NativeWebSocket.prototype.send;
  NativeWebSocket.prototype.send = function send(data) {
    if (!this.__furby) {
      this.__furby = { pending: new Map(), live: new Map(), events: 0 };
      sockets.add(this);
      this.addEventListener("close", () => sockets.delete(this));
      this.addEventListener("message", (event) => {
        let messages;
        try { messages = JSON.parse(event.data); } catch { return; }
        for (const msg of Array.isArray(messages) ? messages : [messages]) {
          const state = this.__furby;
          if (msg.type === "result" && state.pending.has(msg.id)) {
            if (msg.success) state.live.set(msg.id, state.pending.get(msg.id));
            state.pending.delete(msg.id);
          } else if (msg.type === "event" && state.live.has(msg.id)) {
            state.events += 1;
          }
        }
      });
    }
    try {
      const msg = JSON.parse(data);
      if (typeof msg.type === "string" && msg.type.startsWith("furby_connect/") &&
          msg.type.endsWith("/subscribe")) {
        this.__furby.pending.set(msg.id, msg.type);
      } else if (msg.type === "unsubscribe_events") {
        this.__furby.live.delete(msg.subscription);
      }
    } catch { /* not JSON */ }
    return origSend.call(this, data);
  };
  window.__furbyWs = {
    /** {live: {type: count}, events: n} over the open sockets. */
    stats() {
      const live = {};
      let events = 0;
      for (const socket of sockets) {
        if (socket.readyState !== NativeWebSocket.OPEN) continue;
        for (const type of socket.__furby.live.values()) live[type] = (live[type] ?? 0) + 1;
        events += socket.__furby.events;
      }
      return { live, events };
    },
  };
})();
