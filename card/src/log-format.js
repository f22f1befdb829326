/** Text of log entries: the row cells on screen and the lines of a downloaded log. */

function pad(n, width = 2) {
  return String(n).padStart(width, "0");
}

/** Local wall-clock time of an entry, "HH:MM:SS.mmm". */
export function clockTime(epochSeconds) {
  if (typeof epochSeconds !== "number" || !Number.isFinite(epochSeconds)) return "--:--:--.---";
  const d = new Date(epochSeconds * 1000);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** The bytes of a command or reply ("generalplus 13 00 37"), or "" when the entry has none. */
export function entryBytes(entry) {
  const data = entry && entry.data;
  if (!data || typeof data !== "object" || typeof data.hex !== "string") return "";
  return data.characteristic ? `${data.characteristic} ${data.hex}` : data.hex;
}

/** One line of a downloaded log: ISO time, level, kind, Furby, text, bytes (tab-separated). */
export function downloadLine(entry) {
  const iso = Number.isFinite(entry.time) ? new Date(entry.time * 1000).toISOString() : "";
  return [iso, entry.level ?? "", entry.kind ?? "", entry.furby ?? "", entry.text ?? "", entryBytes(entry)]
    .join("\t")
    .replace(/[\r\n]+/g, " ");
}

/** The whole downloaded file for `entries` (oldest first). */
export function downloadText(entries) {
  const header = "time\tlevel\tkind\tfurby\ttext\tbytes";
  return `${[header, ...entries.map(downloadLine)].join("\n")}\n`;
}
