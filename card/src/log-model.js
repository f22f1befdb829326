/**
 * The live log's model, without DOM: every recent entry in a ring buffer (for download, filter
 * changes and resume), and the view: the newest `maxRows` entries that pass the level filter, in
 * a second ring. Entries only accumulate until `takeFrame()`, which the view calls once per
 * animation frame: all of them enter the view at once and the oldest leave in the same batch.
 */
import { RingBuffer, levelRank, newBacklogEntries } from "./log-buffer.js";
import { downloadText } from "./log-format.js";

/** Capacity of the buffer behind a view of `maxRows` rows (what a download or a filter sees). */
export function bufferCapacity(maxRows) {
  return Math.max(1000, 2 * maxRows);
}

export class LogModel {
  /** @param {number} maxRows entries the view holds */
  constructor(maxRows) {
    this.maxRows = maxRows;
    this.buffer = new RingBuffer(bufferCapacity(maxRows));
    this.view = new RingBuffer(maxRows);
    this.minLevel = "debug";
    this.paused = false;
    this.pending = 0; // entries pushed since the last frame (or since the pause started)
    this.rebuild = true; // the next frame refills the view from the buffer
    this.lastSeq = undefined;
  }

  /** Append server entries (an "entries" batch). */
  push(entries) {
    for (const entry of entries) {
      this.buffer.push(entry);
      if (typeof entry.seq === "number") this.lastSeq = entry.seq;
    }
    this.pending += entries.length;
  }

  /** Merge the backlog that starts every (re)subscription, with a marker for a gap or restart. */
  backlog(entries) {
    const { entries: fresh, missed, restarted } = newBacklogEntries(this.lastSeq, entries);
    if (missed > 0) this.marker(`${missed} log entries were missed while disconnected`);
    if (restarted) this.marker("Home Assistant restarted: the log starts again");
    this.push(fresh);
  }

  /** The server threw entries away for this subscriber ("dropped" message). */
  dropped(count) {
    this.marker(`${count} log entries dropped: the card could not keep up`);
  }

  /** Add a card-made entry (no sequence number). */
  marker(text) {
    this.push([{ time: Date.now() / 1000, level: "warning", kind: "gap", text, data: null }]);
  }

  setFilter(minLevel) {
    this.minLevel = minLevel;
    this.rebuild = true;
  }

  setPaused(paused) {
    this.paused = paused;
    if (!paused) this.rebuild = true;
  }

  clear() {
    this.buffer.clear();
    this.pending = 0;
    this.rebuild = true;
  }

  /**
   * Apply everything that arrived since the last frame to the view, in one batch.
   * @returns {{changed: boolean, trimmed: number, rebuilt: boolean}} trimmed: entries that left the
   *   front of the view (a reader scrolled up keeps their place by that many rows).
   */
  takeFrame() {
    if (this.paused) return { changed: false, trimmed: 0, rebuilt: false };
    const minRank = levelRank(this.minLevel);
    const keep = (entry) => levelRank(entry.level) >= minRank;
    if (this.rebuild) {
      this.view.clear();
      for (const entry of this.buffer.tailMatching(this.maxRows, keep)) this.view.push(entry);
      this.rebuild = false;
      this.pending = 0;
      return { changed: true, trimmed: 0, rebuilt: true };
    }
    if (this.pending === 0) return { changed: false, trimmed: 0, rebuilt: false };
    // More new entries than the view holds: only the newest `maxRows` matching ones can stay.
    const fresh = this.buffer.tail(Math.min(this.pending, this.buffer.size)).filter(keep);
    const start = Math.max(0, fresh.length - this.maxRows);
    let trimmed = 0;
    for (let i = start; i < fresh.length; i += 1) if (this.view.push(fresh[i])) trimmed += 1;
    this.pending = 0;
    return { changed: fresh.length > 0, trimmed, rebuilt: false };
  }

  /** Entries pushed while paused (for the toolbar). */
  newWhilePaused() {
    return this.paused ? this.pending : 0;
  }

  /** The buffered entries as a tab-separated text file. */
  downloadText() {
    return downloadText(this.buffer.toArray());
  }
}
