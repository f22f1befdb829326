// A mock Home Assistant for the card's browser tests: a websocket server that implements the
// furby_connect websocket contract, and a client connection with the semantics of
// home-assistant-js-websocket (command ids restart at 1 on every socket; "disconnected" then
// "ready" events; a subscribe in flight when the socket drops never settles when resubscribe is
// false; an unsubscribe handle sends `unsubscribe_events` with its id on whatever socket is
// current). The server counts subscriptions per Furby and kind, and remembers the most it ever
// held at once, so tests can prove "at most one of each kind per card".
(() => {
  const ERR_CONNECTION_LOST = 3;
  const BACKLOG_MAX = 500;
  const tick = (fn) => queueMicrotask(fn);

  class MockServer {
    constructor({ catalog, furbies }) {
      this.catalog = catalog;
      this.furbies = new Map(furbies.map((f) => [f.device_id, f]));
      this.backlogs = new Map(furbies.map((f) => [f.device_id, []]));
      this.seq = new Map(furbies.map((f) => [f.device_id, 0]));
      this.loaded = true; // false: every furby_connect command answers unknown_command
      this.holdSubscribes = false; // true: subscribe requests get no answer (until released)
      this.held = [];
      this.subs = new Map(); // "socket:id" -> {socket, id, kind, deviceId}
      this.sockets = 0;
      this.maxPerKey = new Map(); // "deviceId|kind" -> most subscriptions held at once
      this.subscribeLog = []; // every subscribe request: {time, kind, deviceId, resubscribe}
      this.unsubscribes = 0;
      this.unsubscribeNotFound = 0;
      this.staleUnsubCalls = 0; // handles used after their socket was gone (client side)
      this.catalogCalls = 0;
      this.options = [];
    }

    open(connection) {
      this.sockets += 1;
      return { id: this.sockets, open: true, connection };
    }

    close(socket) {
      socket.open = false;
      for (const [key, sub] of this.subs) if (sub.socket === socket) this.subs.delete(key);
      this.held = this.held.filter((h) => h.socket !== socket);
    }

    send(socket, message) {
      tick(() => {
        if (socket.open) socket.connection._handleMessage(socket, message);
      });
    }

    count(kind, deviceId) {
      let n = 0;
      for (const sub of this.subs.values()) {
        if ((!kind || sub.kind === kind) && (!deviceId || sub.deviceId === deviceId)) n += 1;
      }
      return n;
    }

    receive(socket, msg) {
      if (!socket.open) return;
      const { id, type } = msg;
      const error = (code, message) => this.send(socket, { id, type: "result", success: false, error: { code, message } });
      if (type === "unsubscribe_events") {
        const key = `${socket.id}:${msg.subscription}`;
        if (!this.subs.has(key)) {
          this.unsubscribeNotFound += 1;
          return error("not_found", "Subscription not found.");
        }
        this.subs.delete(key);
        this.unsubscribes += 1;
        return this.send(socket, { id, type: "result", success: true, result: null });
      }
      const kind = type === "furby_connect/log/subscribe" ? "log" : type === "furby_connect/status/subscribe" ? "status" : null;
      if (kind) this.subscribeLog.push({ time: window.__clock.now(), kind, deviceId: msg.device_id, socket: socket.id, loaded: this.loaded });
      if (!type.startsWith("furby_connect/") || !this.loaded) return error("unknown_command", "Unknown command.");
      if (type === "furby_connect/catalog") {
        this.catalogCalls += 1;
        return this.send(socket, { id, type: "result", success: true, result: this.catalog });
      }
      if (!kind) return error("unknown_command", "Unknown command.");
      if (this.holdSubscribes) {
        this.held.push({ socket, msg, kind });
        return undefined;
      }
      return this.answerSubscribe(socket, msg, kind);
    }

    answerSubscribe(socket, msg, kind) {
      const { id, device_id: deviceId } = msg;
      if (deviceId !== undefined && !this.furbies.has(deviceId)) {
        return this.send(socket, { id, type: "result", success: false, error: { code: "not_found", message: "Furby not found." } });
      }
      this.subs.set(`${socket.id}:${id}`, { socket, id, kind, deviceId });
      const key = `${deviceId}|${kind}`;
      this.maxPerKey.set(key, Math.max(this.maxPerKey.get(key) ?? 0, this.count(kind, deviceId)));
      this.send(socket, { id, type: "result", success: true, result: null });
      const first =
        kind === "log"
          ? { type: "backlog", entries: deviceId ? this.backlogs.get(deviceId).slice() : [].concat(...this.backlogs.values()) }
          : { type: "snapshot", furbies: deviceId ? [this.furbies.get(deviceId)] : [...this.furbies.values()] };
      this.send(socket, { id, type: "event", event: first });
      return undefined;
    }

    /** Answer the held subscribe requests whose socket is still open. */
    release() {
      const held = this.held;
      this.held = [];
      for (const h of held) if (h.socket.open) this.answerSubscribe(h.socket, h.msg, h.kind);
    }

    /** Most subscriptions one (device, kind) ever had at once, over all devices. */
    maxHeld() {
      return Math.max(0, ...this.maxPerKey.values());
    }

    emit(kind, deviceId, event) {
      for (const sub of this.subs.values()) {
        if (sub.kind === kind && (sub.deviceId === undefined || sub.deviceId === deviceId)) {
          this.send(sub.socket, { id: sub.id, type: "event", event });
        }
      }
    }

    /** New log entries of a Furby: kept for backlogs, sent to its log subscribers as one batch. */
    log(deviceId, partials) {
      const furby = this.furbies.get(deviceId);
      const backlog = this.backlogs.get(deviceId);
      const entries = partials.map((p) => {
        const seq = this.seq.get(deviceId) + 1;
        this.seq.set(deviceId, seq);
        return { seq, time: Date.now() / 1000, device_id: deviceId, furby: furby.name, level: "info", kind: "event", text: "", data: null, ...p };
      });
      backlog.push(...entries);
      if (backlog.length > BACKLOG_MAX) backlog.splice(0, backlog.length - BACKLOG_MAX);
      this.emit("log", deviceId, { type: "entries", entries });
      return entries;
    }

    dropped(deviceId, count) {
      this.emit("log", deviceId, { type: "dropped", count });
    }

    /** The Furby's entry unloads: "removed" to its status subscribers, then every subscription
     * for it ends on the server (the client is not told), and it is unknown until `reload`. */
    unload(deviceId) {
      this.emit("status", deviceId, { type: "removed", device_id: deviceId });
      for (const [key, sub] of this.subs) if (sub.deviceId === deviceId) this.subs.delete(key);
      this.unloaded = this.unloaded || new Map();
      this.unloaded.set(deviceId, this.furbies.get(deviceId));
      this.furbies.delete(deviceId);
    }

    /** The entry is set up again. */
    reload(deviceId) {
      this.furbies.set(deviceId, this.unloaded.get(deviceId));
    }

    /** Change a Furby's status (merged) and send the whole status to its status subscribers. */
    update(deviceId, changes) {
      const furby = { ...this.furbies.get(deviceId), ...changes };
      this.furbies.set(deviceId, furby);
      this.emit("status", deviceId, { type: "update", furby });
    }
  }

  class MockConnection {
    constructor(server) {
      this.server = server;
      this.socket = server.open(this);
      this.commandId = 1;
      this.commands = new Map();
      this.listeners = new Map();
    }

    get connected() {
      return this.socket.open;
    }

    addEventListener(type, cb) {
      if (!this.listeners.has(type)) this.listeners.set(type, []);
      this.listeners.get(type).push(cb);
    }

    removeEventListener(type, cb) {
      const list = this.listeners.get(type) || [];
      const i = list.indexOf(cb);
      if (i !== -1) list.splice(i, 1);
    }

    listenerCount() {
      let n = 0;
      for (const list of this.listeners.values()) n += list.length;
      return n;
    }

    fire(type) {
      for (const cb of [...(this.listeners.get(type) || [])]) cb(this);
    }

    _send(message) {
      const socket = this.socket;
      if (!socket.open) return; // a closed WebSocket discards what is sent
      tick(() => this.server.receive(socket, message));
    }

    sendMessagePromise(message) {
      return new Promise((resolve, reject) => {
        const id = ++this.commandId;
        this.commands.set(id, { resolve, reject });
        this._send({ ...message, id });
      });
    }

    subscribeMessage(callback, message, options = {}) {
      this.server.options.push(options);
      const socket = this.socket;
      return new Promise((resolve, reject) => {
        const id = ++this.commandId;
        const unsubscribe = async () => {
          if (this.socket !== socket) this.server.staleUnsubCalls += 1;
          if (this.connected) await this.sendMessagePromise({ type: "unsubscribe_events", subscription: id });
          this.commands.delete(id);
        };
        this.commands.set(id, { subscribe: true, callback, resolve: () => resolve(unsubscribe), reject });
        this._send({ ...message, id });
      });
    }

    _handleMessage(socket, message) {
      if (socket !== this.socket) return;
      const info = this.commands.get(message.id);
      if (message.type === "event") {
        if (info && info.callback) info.callback(message.event);
        else this.sendMessagePromise({ type: "unsubscribe_events", subscription: message.id }).catch(() => {});
        return;
      }
      if (!info) return;
      if (message.success) {
        info.resolve(message.result);
        if (!info.subscribe) this.commands.delete(message.id);
      } else {
        info.reject(message.error);
        this.commands.delete(message.id);
      }
    }

    /** The socket closes unexpectedly (Home Assistant restarts, the network drops). */
    drop() {
      if (!this.socket.open) return;
      this.server.close(this.socket);
      for (const [id, info] of this.commands) {
        if (!info.subscribe) {
          info.reject({ code: ERR_CONNECTION_LOST, message: "Connection lost" });
          this.commands.delete(id);
        }
      }
      this.fire("disconnected");
    }

    /** A new socket: ids restart, pending subscribes are forgotten (resubscribe: false). */
    restore() {
      if (this.socket.open) return;
      this.socket = this.server.open(this);
      this.commandId = 1;
      this.commands = new Map();
      this.fire("ready");
    }
  }

  function furbyStatus(i) {
    const id = `furby${String(i).padStart(3, "0")}`;
    return {
      device_id: id,
      name: `Furby (89${String(i).padStart(2, "0").slice(-2)})`,
      connected: true,
      available: true,
      orientation: "upright",
      last_interaction: { type: "tail_pull", time: Date.now() / 1000 - 42 },
      active_slot: 2,
      filled_slots: [0, 2, 5],
      eyes_on: true,
      antenna: [255, 96, 0],
      name_id: 22,
      furby_name: "Dah-Boo",
      moods: { excitedness: 70, displeasedness: 10, tiredness: 35, fullness: 55, wellness: 90 },
      upload: null,
    };
  }

  window.MockConnection = MockConnection;

  /** A page-wide mock: `count` Furbies (furby000, furby001, ...), one connection, one hass. */
  window.createMockHass = ({ catalog, count = 1, darkMode = false }) => {
    const furbies = Array.from({ length: count }, (_, i) => furbyStatus(i));
    const server = new MockServer({ catalog, furbies });
    const connection = new MockConnection(server);
    const entities = {};
    const states = {};
    for (const f of furbies) {
      const eyes = `switch.${f.device_id}_eyes`;
      entities[eyes] = { entity_id: eyes, device_id: f.device_id, platform: "furby_connect", translation_key: "eyes" };
      states[eyes] = { entity_id: eyes, state: f.eyes_on ? "on" : "off", attributes: {} };
    }
    const serviceCalls = [];
    const uploads = [];
    const hass = {
      connection,
      entities,
      states,
      user: { id: "u1", name: "Test", is_admin: true },
      themes: { darkMode },
      language: "en",
      callWS: (msg) => connection.sendMessagePromise(msg),
      serviceFailure: null,
      async callService(domain, service, data) {
        serviceCalls.push({ domain, service, data });
        if (hass.serviceFailure) throw hass.serviceFailure;
        return { context: { id: String(serviceCalls.length) } };
      },
      holdUploads: false, // true: the POST waits until its signal aborts
      async fetchWithAuth(path, init = {}) {
        const file = init.body instanceof FormData ? init.body.get("file") : null;
        uploads.push({ path, method: init.method, name: file && file.name, size: file && file.size });
        if (hass.holdUploads) {
          await new Promise((_, reject) => {
            init.signal?.addEventListener("abort", () => reject(new DOMException("The user aborted a request.", "AbortError")));
          });
        }
        return new Response(JSON.stringify({ file_id: `file-${uploads.length}` }), { status: 200 });
      },
    };
    return { hass, server, connection, serviceCalls, uploads, furbies };
  };
})();
