/**
 * `custom:furby-connect-card`: one Furby's status, controls, action picker, DLC upload and live
 * log, over the integration's websocket API (`furby_connect/status/subscribe`,
 * `furby_connect/log/subscribe`, `furby_connect/catalog`) and its services.
 */
import { LitElement, html, nothing } from "lit";
import { fetchCatalog } from "./catalog.js";
import {
  CARD_TYPE,
  DOMAIN,
  configForm,
  eyesEntityId,
  normalizeConfig,
  stubConfig,
} from "./config.js";
import { defineOnce, registerCardPicker } from "./define.js";
import { FurbyFeed } from "./feed.js";
import { LogView } from "./log-view.js";
import { actionsSection, controlsSection, logSection, statusSection, uploadSection } from "./sections.js";
import { cardStyles } from "./styles.js";
import { STATE } from "./subscription.js";
import { DlcUploader } from "./uploader.js";
import { errorText } from "./error-text.js";

export class FurbyConnectCard extends LitElement {
  static properties = {
    _status: { state: true },
    _gone: { state: true },
    _feedState: { state: true },
    _catalog: { state: true },
    _catalogError: { state: true },
    _query: { state: true },
    _category: { state: true },
    _nameChoice: { state: true },
    _moodDraft: { state: true },
    _minLevel: { state: true },
    _paused: { state: true },
    _logStats: { state: true },
    _notice: { state: true },
  };

  static styles = cardStyles;

  static getConfigForm() {
    return configForm();
  }

  static getStubConfig(hass) {
    return stubConfig(hass);
  }

  constructor() {
    super();
    // Only fields here: touching attributes in a constructor breaks document.createElement.
    this._config = null;
    this._hass = null;
    this._attached = false;
    this._feed = null;
    this._logView = null;
    this._status = null;
    this._gone = false;
    this._feedState = { status: STATE.IDLE, log: STATE.IDLE, info: {} };
    this._catalog = null;
    this._catalogError = "";
    this._query = "";
    this._category = "";
    this._nameChoice = null;
    this._moodDraft = {};
    this._minLevel = "debug";
    this._paused = false;
    this._logStats = { rows: 0, buffered: 0, newWhilePaused: 0 };
    this._notice = null;
    this._eyesEntity = null;
    this._eyesState = undefined;
    this._lastSearch = null;
    this._entitiesSeen = undefined;
    this._eyesLookup = null;
    this._uploader = new DlcUploader(this);
  }

  setConfig(config) {
    const next = normalizeConfig(config);
    const old = this._config;
    this._config = next;
    const same =
      old &&
      old.device_id === next.device_id &&
      old.show_log === next.show_log &&
      old.log_rows === next.log_rows;
    if (!same) {
      this._teardown();
      if (this._logView) this._logView.attach(null);
      this._status = null;
      this._gone = false;
      this._entitiesSeen = undefined; // look the eyes switch up again for the new Furby
      this._logView = next.show_log
        ? new LogView({ maxRows: next.log_rows, onChange: (stats) => this._onLogStats(stats) })
        : null;
      this._bind();
      if (this._hass) this.hass = this._hass;
    }
    this.requestUpdate();
  }

  set hass(hass) {
    const old = this._hass;
    this._hass = hass;
    if (!hass) return;
    if (hass.themes) this.toggleAttribute("dark-mode", Boolean(hass.themes.darkMode));
    this._bind();
    // hass changes with every state change in Home Assistant: look the eyes switch up again only
    // when the entity registry changed, and re-render only for what is shown.
    if (hass.entities !== this._entitiesSeen) {
      this._entitiesSeen = hass.entities;
      this._eyesLookup = this._config ? eyesEntityId(hass, this._config.device_id) : null;
    }
    const eyes = this._eyesLookup;
    const eyesState = eyes && hass.states ? hass.states[eyes] : undefined;
    if (!old || eyes !== this._eyesEntity || eyesState !== this._eyesState || old.user !== hass.user) {
      this._eyesEntity = eyes;
      this._eyesState = eyesState;
      this.requestUpdate();
    }
  }

  get hass() {
    return this._hass;
  }

  getCardSize() {
    return this._config && this._config.show_log ? 16 : 10;
  }

  getGridOptions() {
    return { columns: 12, rows: "auto", min_columns: 6, min_rows: 6 };
  }

  connectedCallback() {
    super.connectedCallback();
    this._attached = true;
    this._bind();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this._attached = false;
    this._teardown();
  }

  /** Subscribe when the card is on the page, configured and has a connection. */
  _bind() {
    if (!this._attached || !this._config || !this._hass || !this._hass.connection) return;
    if (!this._feed) {
      this._feed = new FurbyFeed({
        deviceId: this._config.device_id,
        withLog: this._config.show_log,
        onLog: (event) => this._onLogEvent(event),
        onStatus: (event) => this._onStatusEvent(event),
        onState: (kind, state, info) => this._onFeedState(kind, state, info),
      });
    }
    this._feed.bind(this._hass.connection);
  }

  /** Leave no subscription, listener or frame behind. */
  _teardown() {
    if (this._feed) this._feed.unbind();
    this._feed = null;
    if (this._logView) this._logView.cancel();
  }

  _onFeedState(kind, state, info) {
    this._feedState = { ...this._feedState, [kind]: state, info: state === STATE.LIVE ? {} : info };
    if (kind === "status" && state === STATE.LIVE) this._loadCatalog();
  }

  _loadCatalog() {
    if (this._catalog || !this._hass) return;
    fetchCatalog(this._hass.connection).then(
      (catalog) => {
        this._catalog = catalog;
        this._catalogError = "";
      },
      (err) => {
        this._catalogError = errorText(err);
      },
    );
  }

  _onStatusEvent(event) {
    const id = this._config.device_id;
    if (event.type === "snapshot") {
      const mine = (event.furbies || []).find((f) => f.device_id === id) ?? null;
      this._status = mine;
      this._gone = !mine;
    } else if (event.type === "update" && event.furby && event.furby.device_id === id) {
      this._status = event.furby;
      this._gone = false;
    } else if (event.type === "removed" && event.device_id === id) {
      // The entry unloaded (removed, or reloading): the server ended this card's subscriptions.
      this._status = null;
      this._gone = true;
      if (this._feed) this._feed.restart();
    }
  }

  /** Toolbar counters: re-render only when they change (not on every frame of a flood). */
  _onLogStats(stats) {
    const old = this._logStats;
    if (old.rows !== stats.rows || old.newWhilePaused !== stats.newWhilePaused) this._logStats = stats;
  }

  _onLogEvent(event) {
    const view = this._logView;
    if (!view) return;
    if (event.type === "backlog") view.backlog(event.entries || []);
    else if (event.type === "entries") view.push(event.entries || []);
    else if (event.type === "dropped") view.dropped(event.count);
  }

  updated() {
    if (this._logView) {
      const box = this.renderRoot.querySelector(".log");
      if (box) this._logView.attach(box);
    }
  }

  render() {
    if (!this._config) return nothing;
    const s = this._status;
    const title = this._config.title || (s && s.name) || "Furby";
    const badge = !s ? ["", "–"] : s.connected ? ["connected", "Connected"] : s.available ? ["", "Not connected"] : ["unavailable", "Unavailable"];
    return html`<ha-card>
      <div class="header">
        <h2>${title}</h2>
        <span class="badge ${badge[0]}">${badge[1]}</span>
      </div>
      ${this._feedNotice()}
      ${statusSection(this)} ${controlsSection(this)} ${actionsSection(this)} ${uploadSection(this)}
      ${this._config.show_log ? logSection(this) : nothing}
      <div class="notice ${this._notice && this._notice.error ? "error" : ""}" role="status" aria-live="polite">
        ${this._notice ? this._notice.text : ""}
      </div>
    </ha-card>`;
  }

  _feedNotice() {
    const states = [this._feedState.status, ...(this._config.show_log ? [this._feedState.log] : [])];
    if (states.every((state) => state === STATE.LIVE)) return nothing;
    const info = this._feedState.info || {};
    let text = "Connecting to Home Assistant…";
    let error = false;
    if (states.includes(STATE.OFFLINE)) text = "Home Assistant is not reachable; waiting for it to come back…";
    else if (states.includes(STATE.RETRYING)) {
      const code = info.error && info.error.code;
      const wait = typeof info.delay === "number" ? ` Retrying in ${(info.delay / 1000).toFixed(1)} s.` : "";
      if (code === "unknown_command") text = `Waiting for the Furby Connect integration to load.${wait}`;
      else if (code === "not_found") {
        text = `This Furby is not loaded in Home Assistant.${wait}`;
        error = true;
      } else if (info.error) {
        text = `Live updates failed: ${errorText(info.error)}.${wait}`;
        error = true;
      } else text = `Reconnecting…${wait}`;
    }
    return html`<div class="feed ${error ? "error" : ""}" role="status">${text}</div>`;
  }

  // ---- service calls ----

  async _call(domain, service, data, done) {
    try {
      await this._hass.callService(domain, service, data);
      this._notice = { text: done, error: false };
      return true;
    } catch (err) {
      this._notice = { text: errorText(err), error: true };
      return false;
    }
  }

  _furby(service, data, done) {
    return this._call(DOMAIN, service, { device_id: this._config.device_id, ...data }, done);
  }

  _trigger(fields, label) {
    return this._furby("trigger_action", fields, `Sent: ${label}`);
  }

  _onAntenna = (e) => {
    const hex = e.target.value;
    const [red, green, blue] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    this._furby("set_antenna", { red, green, blue }, `Antenna set to ${hex}`);
  };

  _onAntennaOff = () => this._furby("set_antenna", { red: 0, green: 0, blue: 0 }, "Antenna off");

  _onEyes = () => {
    if (!this._eyesEntity) return;
    const on = this._status && this._status.eyes_on === true;
    this._call("switch", on ? "turn_off" : "turn_on", { entity_id: this._eyesEntity }, on ? "Eyes off" : "Eyes on");
  };

  _onNameChoice = (e) => {
    this._nameChoice = Number(e.target.value);
  };

  _onSetName = () => {
    const id = this._nameChoice ?? (this._status && this._status.name_id) ?? 0;
    const name = this._catalog ? this._catalog.names[id] : String(id);
    this._furby("set_name", { name_id: id }, `Name set to ${name}`);
  };

  _onMoodInput(meter, e) {
    this._moodDraft = { ...this._moodDraft, [meter]: Number(e.target.value) };
  }

  async _onMoodChange(meter, e) {
    const value = Number(e.target.value);
    await this._furby("set_mood", { meter, value, mode: "set" }, `${meter} set to ${value}`);
    const { [meter]: _sent, ...rest } = this._moodDraft;
    this._moodDraft = rest;
  }

  _onQuery = (e) => {
    this._query = e.target.value;
  };

  _onCategory = (e) => {
    this._category = e.target.value;
  };

  // ---- log ----

  _onLevel = (e) => {
    this._minLevel = e.target.value;
    if (this._logView) this._logView.setFilter(this._minLevel);
  };

  _onPause = () => {
    this._paused = !this._paused;
    if (this._logView) this._logView.setPaused(this._paused);
  };

  _onClear = () => {
    if (this._logView) this._logView.clear();
  };

  _onDownload = () => {
    if (!this._logView) return;
    const blob = new Blob([this._logView.downloadText()], { type: "text/tab-separated-values" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `furby-log-${new Date().toISOString().replace(/[:.]/g, "-")}.tsv`;
    this.renderRoot.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  };
}

defineOnce(CARD_TYPE, FurbyConnectCard);
registerCardPicker({
  type: CARD_TYPE,
  name: "Furby Connect",
  description: "A Furby Connect's status, controls, actions, DLC upload and live log.",
  preview: false,
  documentationURL: "https://github.com/furby-connect/furby_connect#the-card",
});
