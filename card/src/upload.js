/**
 * DLC upload from the browser: the file goes to Home Assistant's `/api/file_upload` (multipart,
 * field `file`, through `hass.fetchWithAuth`), and the returned `file_id` is handed to the
 * `furby_connect.upload_dlc` service, which streams it to the toy and reports progress in the
 * Furby's status.
 */

/** The protocol's largest DLC (a 24-bit length). */
export const MAX_DLC_BYTES = 2 ** 24 - 1;

/** Phases after which an upload is over. */
export const FINAL_PHASES = new Set(["done", "failed", "cancelled"]);

/** Why `file` cannot be uploaded, or null. */
export function fileProblem(file) {
  if (!file) return "No file chosen.";
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > MAX_DLC_BYTES) return `${file.name} is larger than a DLC can be (16 MiB).`;
  return null;
}

/**
 * POST `file` to `/api/file_upload` and return its file id.
 * @param {{fetchWithAuth: (path: string, init?: object) => Promise<Response>}} hass
 */
export async function sendToHomeAssistant(hass, file, signal) {
  const form = new FormData();
  form.append("file", file);
  const response = await hass.fetchWithAuth("/api/file_upload", { method: "POST", body: form, signal });
  if (response.status === 413) throw new Error(`${file.name} is too large for Home Assistant's upload.`);
  if (!response.ok) throw new Error(`Home Assistant refused the file (HTTP ${response.status}).`);
  const body = await response.json();
  if (!body || typeof body.file_id !== "string") throw new Error("Home Assistant returned no file id.");
  return body.file_id;
}

/** "512 B", "4.0 kB", "1.13 MB" (decimal units, as transfer rates are usually given). */
export function formatBytes(bytes) {
  if (typeof bytes !== "number" || !Number.isFinite(bytes) || bytes < 0) return "–";
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

/** "4.0 kB/s", or "–" when unknown. */
export function formatRate(bytesPerSecond) {
  if (typeof bytesPerSecond !== "number" || !Number.isFinite(bytesPerSecond)) return "–";
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** "45 s", "4 min 12 s", "1 h 02 min", or "–" when unknown. */
export function formatDuration(seconds) {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}
