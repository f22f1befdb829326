/** The card's configuration: validation, defaults, the stub for the card picker, the editor form. */

export const CARD_TYPE = "furby-connect-card";
export const DOMAIN = "furby_connect";
export const DEFAULT_LOG_ROWS = 200;
export const MIN_LOG_ROWS = 10;
export const MAX_LOG_ROWS = 2000;

/**
 * Check a config and fill in the defaults. Throws an Error with a readable message (Lovelace shows
 * it as an error card).
 */
export function normalizeConfig(config) {
  if (!config || typeof config !== "object") throw new Error("Invalid configuration");
  const { device_id: deviceId, title, show_log: showLog = true, log_rows: logRows } = config;
  if (typeof deviceId !== "string" || deviceId.trim() === "") {
    throw new Error("device_id is required: pick the Furby in the card editor");
  }
  if (title !== undefined && title !== null && typeof title !== "string") {
    throw new Error("title must be text");
  }
  if (typeof showLog !== "boolean") throw new Error("show_log must be true or false");
  const rows = logRows === undefined || logRows === null || logRows === "" ? DEFAULT_LOG_ROWS : Number(logRows);
  if (!Number.isInteger(rows) || rows < MIN_LOG_ROWS || rows > MAX_LOG_ROWS) {
    throw new Error(`log_rows must be a whole number from ${MIN_LOG_ROWS} to ${MAX_LOG_ROWS}`);
  }
  return { ...config, device_id: deviceId.trim(), show_log: showLog, log_rows: rows };
}

/** Entities of this integration that belong to `deviceId` (from `hass.entities`). */
export function deviceEntities(hass, deviceId) {
  const entities = hass && hass.entities ? Object.values(hass.entities) : [];
  return entities.filter((e) => e && e.device_id === deviceId && e.platform === DOMAIN);
}

/** The Furby's eyes switch: translation key "eyes" (or an entity id ending in "_eyes"). */
export function eyesEntityId(hass, deviceId) {
  const switches = deviceEntities(hass, deviceId).filter((e) => e.entity_id.startsWith("switch."));
  const match =
    switches.find((e) => e.translation_key === "eyes") ?? switches.find((e) => e.entity_id.endsWith("_eyes"));
  return match ? match.entity_id : null;
}

/** A config for the card picker: the first Furby found, if any. */
export function stubConfig(hass) {
  const entities = hass && hass.entities ? Object.values(hass.entities) : [];
  const furby = entities.find((e) => e && e.platform === DOMAIN && e.device_id);
  return { type: `custom:${CARD_TYPE}`, device_id: furby ? furby.device_id : "" };
}

const LABELS = {
  device_id: "Furby",
  title: "Title (optional)",
  show_log: "Show the live log",
  log_rows: "Log rows kept on screen",
};

const HELPERS = {
  log_rows: `${MIN_LOG_ROWS}-${MAX_LOG_ROWS}; the download holds more`,
};

/** The visual editor: a `ha-form` schema (Lovelace builds the form from it). */
export function configForm() {
  return {
    schema: [
      { name: "device_id", required: true, selector: { device: { filter: { integration: DOMAIN } } } },
      { name: "title", selector: { text: {} } },
      {
        type: "grid",
        name: "",
        schema: [
          { name: "show_log", selector: { boolean: {} } },
          {
            name: "log_rows",
            selector: { number: { min: MIN_LOG_ROWS, max: MAX_LOG_ROWS, step: 10, mode: "box" } },
          },
        ],
      },
    ],
    computeLabel: (field) => LABELS[field.name],
    computeHelper: (field) => HELPERS[field.name],
    assertConfig: (config) => {
      normalizeConfig(config);
    },
  };
}
