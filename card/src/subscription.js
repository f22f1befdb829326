/**
 * One websocket subscription that the card keeps alive itself (`resubscribe: false`), because
 * home-assistant-js-websocket's own resubscribe loses a custom integration's subscription across a
 * Home Assistant restart (it resubscribes before the integration has registered its command).
 *
 * Rules, each for a trap of the websocket client:
 * - At most one attempt or live subscription at a time; every attempt has a generation number and
 *   anything that arrives for an older generation is ignored.
 * - When the socket drops, the live unsubscribe handle is forgotten, never called: command ids
 *   restart at 1 on the new socket, so an old handle would unsubscribe somebody else's
 *   subscription. An attempt in flight at the drop never settles; it is abandoned, not awaited.
 * - A subscribe answered after it was abandoned without a drop (the card went away meanwhile) is
 *   unsubscribed at once.
 * - Failures (unknown_command while the integration loads after a restart, not_found, ...) and
 *   reconnects are retried after a full-jitter exponential backoff, reset by a success.
 */
import { Backoff } from "./backoff.js";

/** States reported to `onState`. */
export const STATE = Object.freeze({
  IDLE: "idle", // stopped
  OFFLINE: "offline", // the socket is down; waiting for it to come back
  SUBSCRIBING: "subscribing", // an attempt is in flight
  LIVE: "live",
  RETRYING: "retrying", // a retry is scheduled (info.delay ms, info.error)
});

export class ResilientSubscription {
  /**
   * @param {{message: object, onEvent: (event: object) => void,
   *          onState?: (state: string, info: object) => void, backoff?: Backoff}} options
   */
  constructor({ message, onEvent, onState = () => {}, backoff = new Backoff() }) {
    this.message = message;
    this.onEvent = onEvent;
    this.onState = onState;
    this.backoff = backoff;
    this.connection = null;
    this.generation = 0; // bumped whenever the current attempt or subscription is given up
    this.epoch = 0; // bumped on every socket drop and connection change
    this.unsub = null; // the live subscription's handle (valid for `epoch` only)
    this.inFlight = false;
    this.timer = null;
    this.state = STATE.IDLE;
    this.running = false;
  }

  /** Start (or keep) the subscription on `connection`. */
  start(connection) {
    if (this.running && connection === this.connection) return;
    if (this.running) this.stop();
    this.running = true;
    this.connection = connection;
    this.backoff.reset();
    this.attempt();
  }

  /** Give the subscription up (the card left the page or its config changed). */
  stop() {
    this.running = false;
    this.clearTimer();
    this.generation += 1;
    this.inFlight = false;
    const unsub = this.unsub;
    this.unsub = null;
    // The handle is still for this socket (a drop would have cleared it): free the server side.
    if (unsub) callQuietly(unsub);
    this.connection = null;
    this.setState(STATE.IDLE);
  }

  /**
   * The server ended the subscription on its side (the Furby's entry unloaded, e.g. for a reload):
   * let the handle go and subscribe again after a backoff delay (not_found until it is back).
   */
  restart() {
    if (!this.running) return;
    this.clearTimer();
    this.generation += 1;
    this.inFlight = false;
    const unsub = this.unsub;
    this.unsub = null;
    // Same socket, so the id is still ours: at worst the server answers "not found".
    if (unsub) callQuietly(unsub);
    this.retryLater(null);
  }

  /** The socket dropped ("disconnected"): the server has already ended the subscription. */
  connectionLost() {
    if (!this.running) return;
    this.clearTimer();
    this.generation += 1;
    this.epoch += 1;
    this.inFlight = false;
    this.unsub = null; // never call it now: ids restart on the next socket
    this.setState(STATE.OFFLINE);
  }

  /** The socket is back ("ready"): retry after a jittered delay, so all cards do not storm it. */
  connectionReady() {
    if (!this.running || this.unsub || this.inFlight || this.timer) return;
    this.retryLater(null);
  }

  attempt() {
    this.timer = null;
    if (!this.running || this.unsub || this.inFlight) return;
    const connection = this.connection;
    if (!connection || !connection.connected) {
      this.setState(STATE.OFFLINE); // connectionReady() resumes
      return;
    }
    this.generation += 1;
    const generation = this.generation;
    const epoch = this.epoch;
    this.inFlight = true;
    this.setState(STATE.SUBSCRIBING);
    let request;
    try {
      request = connection.subscribeMessage(
        (event) => {
          if (generation === this.generation) this.onEvent(event);
        },
        this.message,
        { resubscribe: false },
      );
    } catch (err) {
      request = Promise.reject(err);
    }
    Promise.resolve(request).then(
      (unsub) => {
        if (generation !== this.generation) {
          // Abandoned. Same socket: free the server side now. Another socket: the server already
          // dropped it, and the handle's id may belong to a newer subscription.
          if (epoch === this.epoch && connection.connected) callQuietly(unsub);
          return;
        }
        this.inFlight = false;
        this.unsub = unsub;
        this.backoff.reset();
        this.setState(STATE.LIVE);
      },
      (error) => {
        if (generation !== this.generation) return;
        this.inFlight = false;
        this.retryLater(error);
      },
    );
  }

  retryLater(error) {
    this.clearTimer();
    const delay = this.backoff.next();
    this.timer = setTimeout(() => this.attempt(), delay);
    this.setState(STATE.RETRYING, { delay, error });
  }

  clearTimer() {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  setState(state, info = {}) {
    this.state = state;
    this.onState(state, info);
  }
}

/** Call an unsubscribe handle, ignoring its failure ("Subscription not found." and the like). */
function callQuietly(unsub) {
  try {
    const result = unsub();
    if (result && typeof result.catch === "function") result.catch(() => {});
  } catch {
    // nothing to do: the subscription is gone either way
  }
}
