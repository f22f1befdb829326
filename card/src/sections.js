/**
 * The card's sections as Lit templates. Each takes the card (`c`) and reads its state; events go
 * back to the card's handlers. Every control has a visible or accessible label and is a native,
 * keyboard-usable element.
 */
import { html, nothing } from "lit";
import { searchActions } from "./catalog.js";
import { LEVELS } from "./log-buffer.js";
import { FINAL_PHASES, formatBytes, formatDuration, formatRate } from "./upload.js";

export const MOODS = ["excitedness", "displeasedness", "tiredness", "fullness", "wellness"];
export const QUICK_ACTIONS = [
  ["giggle", "Giggle"],
  ["puke", "Puke"],
  ["hiccup", "Hiccup"],
  ["beatboxing", "Beatbox"],
  ["hey_hey", "Hey hey"],
];
const RESULT_LIMIT = 30;

/** "upside_down" -> "Upside down". */
export function humanize(value) {
  if (value === null || value === undefined || value === "") return "–";
  const text = String(value).replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function clock(epochSeconds) {
  if (typeof epochSeconds !== "number") return "";
  return new Date(epochSeconds * 1000).toLocaleTimeString();
}

export function rgbHex(rgb) {
  if (!Array.isArray(rgb) || rgb.length !== 3) return "#000000";
  return `#${rgb.map((v) => Math.max(0, Math.min(255, v | 0)).toString(16).padStart(2, "0")).join("")}`;
}

/** Connection, orientation, last interaction, eyes, antenna, name, slot. */
export function statusSection(c) {
  const s = c._status;
  if (!s) {
    return html`<section class="status"><p class="hint">${c._gone ? "This Furby is not set up (or was removed)." : "Waiting for the Furby's status…"}</p></section>`;
  }
  const last = s.last_interaction;
  const antennaOff = !s.antenna || s.antenna.every((v) => v === 0);
  return html`<section class="status" aria-label="Status">
    <dl class="facts">
      <div><dt>Bluetooth</dt><dd>${s.connected ? "Connected" : s.available ? "Not connected" : "Unavailable"}</dd></div>
      <div><dt>Orientation</dt><dd>${humanize(s.orientation)}</dd></div>
      <div><dt>Last interaction</dt><dd>${last ? html`${humanize(last.type)} <span class="hint">${clock(last.time)}</span>` : "–"}</dd></div>
      <div><dt>Eyes</dt><dd>${s.eyes_on === null || s.eyes_on === undefined ? "–" : s.eyes_on ? "On" : "Off"}</dd></div>
      <div><dt>Antenna</dt><dd>${s.antenna ? html`<span class="swatch" style="background:${rgbHex(s.antenna)}"></span>${antennaOff ? "Off" : rgbHex(s.antenna)}` : "–"}</dd></div>
      <div><dt>Name</dt><dd>${s.furby_name ?? "–"}</dd></div>
      <div><dt>Active slot</dt><dd>${s.active_slot ?? "–"}${s.filled_slots && s.filled_slots.length ? html` <span class="hint">(${s.filled_slots.length} filled)</span>` : nothing}</dd></div>
    </dl>
  </section>`;
}

/** Antenna colour, eyes, name and moods. */
export function controlsSection(c) {
  const s = c._status;
  const off = !s;
  const names = c._catalog ? c._catalog.names : [];
  const nameChoice = c._nameChoice ?? s?.name_id ?? 0;
  const eyesOn = s?.eyes_on === true;
  return html`<section class="controls-section" aria-label="Controls">
    <h3>Controls</h3>
    <div class="controls">
      <div class="field">
        <label for="antenna">Antenna colour</label>
        <input id="antenna" type="color" .value=${rgbHex(s?.antenna)} ?disabled=${off} @change=${c._onAntenna} />
        <button ?disabled=${off} @click=${c._onAntennaOff}>Antenna off</button>
      </div>
      <div class="field">
        <span class="label" id="eyes-label">Eyes</span>
        <button id="eyes" role="switch" aria-labelledby="eyes-label" aria-checked=${eyesOn ? "true" : "false"}
          ?disabled=${off || !c._eyesEntity} title=${c._eyesEntity ? "" : "The eyes switch entity was not found"}
          @click=${c._onEyes}>${eyesOn ? "On" : "Off"}</button>
      </div>
      <div class="field">
        <label for="name">Name</label>
        <select id="name" ?disabled=${off || names.length === 0} @change=${c._onNameChoice}>
          ${names.map((name, id) => html`<option value=${id} ?selected=${id === nameChoice}>${name}</option>`)}
        </select>
        <button ?disabled=${off || names.length === 0} aria-label="Set name" @click=${c._onSetName}>Set</button>
      </div>
    </div>
    <div class="moods" role="group" aria-label="Moods">
      ${MOODS.map((meter) => {
        const value = c._moodDraft[meter] ?? s?.moods?.[meter] ?? null;
        return html`<label for="mood-${meter}">${humanize(meter)}</label>
          <input id="mood-${meter}" type="range" min="0" max="100" step="1" .value=${String(value ?? 50)}
            ?disabled=${off} @input=${(e) => c._onMoodInput(meter, e)} @change=${(e) => c._onMoodChange(meter, e)} />
          <output for="mood-${meter}">${value ?? "–"}</output>`;
      })}
    </div>
  </section>`;
}

/** The card's last search again when nothing changed (renders happen for other reasons too). */
function cachedSearch(c, catalog, query, category) {
  const last = c._lastSearch;
  if (last && last.catalog === catalog && last.query === query && last.category === category) return last.found;
  const found = searchActions(catalog, query, category, RESULT_LIMIT);
  c._lastSearch = { catalog, query, category, found };
  return found;
}

/** Quick buttons and the catalog search. */
export function actionsSection(c) {
  const off = !c._status;
  const catalog = c._catalog;
  const found = catalog ? cachedSearch(c, catalog, c._query, c._category) : null;
  return html`<section class="actions" aria-label="Actions">
    <h3>Actions</h3>
    <div class="row-of-buttons">
      ${QUICK_ACTIONS.map(([action, label]) => html`<button ?disabled=${off} @click=${() => c._trigger({ action }, label)}>${label}</button>`)}
    </div>
    <div class="search">
      <div>
        <label for="action-search">Search the ${catalog ? catalog.actions.length.toLocaleString("en") : ""} actions</label>
        <input id="action-search" type="search" placeholder="laugh, sing, 55/2/14…" .value=${c._query} @input=${c._onQuery} ?disabled=${!catalog} />
      </div>
      <div>
        <label for="action-category">Category</label>
        <select id="action-category" @change=${c._onCategory} ?disabled=${!catalog}>
          <option value="" ?selected=${!c._category}>All categories</option>
          ${catalog ? catalog.categories.map((cat) => html`<option value=${cat} ?selected=${cat === c._category}>${cat}</option>`) : nothing}
        </select>
      </div>
    </div>
    ${!catalog
      ? html`<p class="hint">${c._catalogError ? `Catalog not loaded: ${c._catalogError}` : "Loading the catalog…"}</p>`
      : html`<p class="hint" role="status">${matchText(found)}</p>
          <ul class="results" aria-label="Matching actions">
            ${found.matches.map((a) => html`<li>
              <span class="what">${a.description}<span class="meta">${a.category} · ${a.code}</span></span>
              <button ?disabled=${off} aria-label=${`Play ${a.description} (${a.code})`}
                @click=${() => c._trigger({ input: a.input, index: a.index, subindex: a.subindex, specific: a.specific }, a.description)}>Play</button>
            </li>`)}
          </ul>`}
  </section>`;
}

function matchText({ total, matches }) {
  if (total === 0) return "No action matches.";
  const count = total === 1 ? "1 action matches" : `${total.toLocaleString("en")} actions match`;
  return total > matches.length ? `${count}; the first ${matches.length} are listed.` : `${count}.`;
}

/** The DLC upload: picker, drop zone, progress, rate, ETA and cancel. */
export function uploadSection(c) {
  const remote = c._status?.upload ?? null;
  const up = c._uploader;
  const local = up.sending;
  const running = local || (remote && !FINAL_PHASES.has(remote.phase));
  const admin = !c.hass?.user || c.hass.user.is_admin !== false;
  const off = !c._status || !admin;
  return html`<section class="upload" aria-label="DLC upload">
    <h3>DLC upload</h3>
    ${running ? progress(c, local, remote) : html`
      <div class="drop ${up.dragOver ? "over" : ""}" @dragover=${up.onDragOver} @dragleave=${up.onDragLeave} @drop=${up.onDrop}>
        <label for="dlc-file">Choose a DLC file, or drop one here</label>
        <input id="dlc-file" type="file" accept=".dlc,application/octet-stream" ?disabled=${off} @change=${up.onFileChosen} />
        <label><input id="dlc-activate" type="checkbox" .checked=${up.activate} @change=${up.onActivate} ?disabled=${off} /> Activate when done</label>
      </div>
      ${admin ? nothing : html`<p class="hint">Uploads need an administrator account.</p>`}
      ${remote && FINAL_PHASES.has(remote.phase) ? finished(remote) : nothing}`}
    ${up.error ? html`<p class="error-text" role="alert">${up.error}</p>` : nothing}
  </section>`;
}

function progress(c, local, remote) {
  if (local) {
    return html`<div class="progress">
      <p>${local.filename}: sending to Home Assistant…</p>
      <progress aria-label="Upload progress"></progress>
      <button @click=${c._uploader.onCancel}>Cancel upload</button>
    </div>`;
  }
  const percent = typeof remote.percent === "number" ? remote.percent : 0;
  return html`<div class="progress">
    <p>${remote.filename}: ${humanize(remote.phase)}${remote.message ? html` <span class="hint">${remote.message}</span>` : nothing}</p>
    <progress aria-label="Upload progress" max="100" .value=${percent}></progress>
    <p class="figures">${percent.toFixed(1)} % · ${formatBytes(remote.bytes_sent)} of ${formatBytes(remote.total_bytes)} · ${formatRate(remote.rate)} · ${formatDuration(remote.eta)} left</p>
    <button @click=${c._uploader.onCancel}>Cancel upload</button>
  </div>`;
}

function finished(remote) {
  if (remote.phase === "done") {
    return html`<p class="hint">${remote.filename} uploaded${remote.slot !== null && remote.slot !== undefined ? ` to slot ${remote.slot}` : ""}.</p>`;
  }
  if (remote.phase === "cancelled") return html`<p class="hint">${remote.filename}: upload cancelled.</p>`;
  return html`<p class="error-text">${remote.filename}: upload failed${remote.error ? `: ${remote.error}` : ""}.</p>`;
}

/** The live log's toolbar and its row container (filled by LogView, not by Lit). */
export function logSection(c) {
  const stats = c._logStats;
  return html`<section class="log-section" aria-label="Live log">
    <div class="log-toolbar">
      <h3 id="log-title">Live log</h3>
      <label for="log-level" class="visually-hidden">Lowest level shown</label>
      <select id="log-level" @change=${c._onLevel}>
        ${LEVELS.map((level) => html`<option value=${level} ?selected=${level === c._minLevel}>${humanize(level)}${level === "error" ? "" : " and up"}</option>`)}
      </select>
      <button aria-pressed=${c._paused ? "true" : "false"} @click=${c._onPause}>${c._paused ? "Resume" : "Pause"}</button>
      <button @click=${c._onClear}>Clear</button>
      <button @click=${c._onDownload}>Download</button>
      <span class="stats">${stats.rows} rows${c._paused ? ` · ${stats.newWhilePaused} new while paused` : ""}</span>
    </div>
    <div class="log" role="list" aria-labelledby="log-title" tabindex="0"></div>
  </section>`;
}
