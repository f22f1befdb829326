/**
 * The two server subscriptions of one card (`furby_connect/log/subscribe` and
 * `furby_connect/status/subscribe` for its Furby) and the two connection listeners that drive
 * their recovery. `bind(connection)` while the card is on the page, `unbind()` when it leaves:
 * afterwards the card holds no subscription and no listener.
 */
import { ResilientSubscription } from "./subscription.js";

export const LOG_SUBSCRIBE = "furby_connect/log/subscribe";
export const STATUS_SUBSCRIBE = "furby_connect/status/subscribe";

export class FurbyFeed {
  /**
   * @param {{deviceId: string, onLog: (event: object) => void, onStatus: (event: object) => void,
   *          onState: (kind: "log"|"status", state: string, info: object) => void,
   *          withLog?: boolean}} options
   */
  constructor({ deviceId, onLog, onStatus, onState, withLog = true }) {
    this.connection = null;
    this.subs = [
      new ResilientSubscription({
        message: { type: STATUS_SUBSCRIBE, device_id: deviceId },
        onEvent: onStatus,
        onState: (state, info) => onState("status", state, info),
      }),
    ];
    if (withLog) {
      this.subs.push(
        new ResilientSubscription({
          message: { type: LOG_SUBSCRIBE, device_id: deviceId },
          onEvent: onLog,
          onState: (state, info) => onState("log", state, info),
        }),
      );
    }
    this.onDisconnected = () => {
      for (const sub of this.subs) sub.connectionLost();
    };
    this.onReady = () => {
      for (const sub of this.subs) sub.connectionReady();
    };
  }

  /** Listen on `connection` and subscribe (a different connection replaces the old one). */
  bind(connection) {
    if (connection === this.connection) return;
    this.unbind();
    this.connection = connection;
    connection.addEventListener("disconnected", this.onDisconnected);
    connection.addEventListener("ready", this.onReady);
    for (const sub of this.subs) sub.start(connection);
  }

  /** The Furby's entry unloaded: its subscriptions ended on the server; subscribe again later. */
  restart() {
    for (const sub of this.subs) sub.restart();
  }

  /** Unsubscribe and stop listening. */
  unbind() {
    const connection = this.connection;
    if (!connection) return;
    this.connection = null;
    connection.removeEventListener("disconnected", this.onDisconnected);
    connection.removeEventListener("ready", this.onReady);
    for (const sub of this.subs) sub.stop();
  }
}
