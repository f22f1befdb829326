// A small stand-in for home-assistant-js-websocket's Connection for the node unit tests: ids
// restart at 1 on each socket, subscribes are answered (or held) by the test, unsubscribe handles
// send `unsubscribe_events` with their id on whatever socket is current.
export class FakeConnection {
  constructor() {
    this.connected = true;
    this.socket = 1;
    this.nextId = 1;
    this.listeners = { ready: [], disconnected: [] };
    this.requests = []; // {id, socket, message, options, resolve, reject, callback}
    this.live = new Map(); // "socket:id" -> request
    this.unsubscribes = []; // {socket, id, stale}
  }

  addEventListener(type, cb) {
    this.listeners[type].push(cb);
  }

  removeEventListener(type, cb) {
    this.listeners[type] = this.listeners[type].filter((x) => x !== cb);
  }

  listenerCount() {
    return this.listeners.ready.length + this.listeners.disconnected.length;
  }

  subscribeMessage(callback, message, options) {
    const id = ++this.nextId;
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      this.requests.push({ id, socket, message, options, resolve, reject, callback });
    });
  }

  /** The server answers the oldest unanswered request of the current socket. */
  answer(result = "ok") {
    const req = this.requests.find((r) => !r.answered && r.socket === this.socket);
    req.answered = true;
    if (result !== "ok") return req.reject(result);
    this.live.set(`${req.socket}:${req.id}`, req);
    return req.resolve(async () => {
      this.unsubscribes.push({ socket: this.socket, id: req.id, stale: this.socket !== req.socket });
      this.live.delete(`${this.socket}:${req.id}`);
    });
  }

  /** Answer a request of an older socket late (what a buggy server or client could do). */
  answerLate(req) {
    req.answered = true;
    req.resolve(async () => {
      this.unsubscribes.push({ socket: this.socket, id: req.id, stale: this.socket !== req.socket });
      this.live.delete(`${this.socket}:${req.id}`);
    });
  }

  event(data) {
    for (const req of this.live.values()) if (req.socket === this.socket) req.callback(data);
  }

  drop() {
    this.connected = false;
    this.live.clear();
    this.listeners.disconnected.forEach((cb) => cb(this));
  }

  restore() {
    this.connected = true;
    this.socket += 1;
    this.nextId = 1;
    this.listeners.ready.forEach((cb) => cb(this));
  }

  pending() {
    return this.requests.filter((r) => !r.answered && r.socket === this.socket);
  }
}

/** Let promise callbacks run. */
export const flush = () => new Promise((resolve) => setImmediate(resolve));
