/**
 * The live log's rows. Entries go into a ring buffer as they arrive; the DOM is touched at most
 * once per animation frame: the frame appends the new rows as one fragment and trims the oldest
 * rows in one range deletion, so the row count stays bounded and a burst of entries costs one
 * layout, never one per entry. Filtering, pausing and clearing work on the buffer.
 */
import { RingBuffer, levelRank, newBacklogEntries } from "./log-buffer.js";
import { clockTime, downloadText, entryBytes } from "./log-format.js";

/**
 * Plan one frame: with `existing` rows on screen, `incoming` new matching entries and at most
 * `maxRows` rows allowed, which entries get rows and how many old rows go.
 * @returns {{skip: number, append: number, remove: number}} skip the first `skip` incoming
 *   entries (they would be trimmed at once), append the next `append`, remove `remove` oldest rows.
 */
export function planFrame(existing, incoming, maxRows) {
  const append = Math.min(incoming, maxRows);
  const skip = incoming - append;
  const remove = Math.max(0, existing + append - maxRows);
  return { skip, append, remove };
}

/** Capacity of the buffer behind a view of `maxRows` rows (what a download or a filter sees). */
export function bufferCapacity(maxRows) {
  return Math.max(1000, 2 * maxRows);
}

export class LogView {
  /**
   * @param {{maxRows: number, onChange?: (stats: object) => void,
   *          raf?: (cb: () => void) => number, caf?: (id: number) => void}} options
   */
  constructor({ maxRows, onChange = () => {}, raf, caf }) {
    this.maxRows = maxRows;
    this.buffer = new RingBuffer(bufferCapacity(maxRows));
    this.minLevel = "debug";
    this.paused = false;
    this.pending = 0; // entries pushed since the last frame (or since the pause started)
    this.rebuild = false; // the next frame redraws from the buffer (filter, resume, attach)
    this.container = null;
    this.rows = 0;
    this.frame = 0;
    this.onChange = onChange;
    this.raf = raf ?? ((cb) => requestAnimationFrame(cb));
    this.caf = caf ?? ((id) => cancelAnimationFrame(id));
    this.lastSeq = undefined;
  }

  /** Render into `container` (an empty element); null detaches. */
  attach(container) {
    if (container === this.container) return;
    if (this.container) this.container.removeEventListener("scroll", this.onScroll);
    this.container = container;
    if (container) {
      this.stick = true;
      this.onScroll = () => {
        this.stick = container.scrollHeight - container.scrollTop - container.clientHeight < 8;
      };
      container.addEventListener("scroll", this.onScroll, { passive: true });
      container.replaceChildren();
      this.rows = 0;
      this.rebuild = true;
      this.schedule();
    }
  }

  /** Append server entries (an "entries" batch). */
  push(entries) {
    for (const entry of entries) {
      this.buffer.push(entry);
      if (typeof entry.seq === "number") this.lastSeq = entry.seq;
    }
    this.pending += entries.length;
    this.schedule();
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
    this.buffer.push({ time: Date.now() / 1000, level: "warning", kind: "gap", text, data: null });
    this.pending += 1;
    this.schedule();
  }

  setFilter(minLevel) {
    this.minLevel = minLevel;
    this.rebuild = true;
    this.schedule();
  }

  setPaused(paused) {
    this.paused = paused;
    if (!paused) this.rebuild = true;
    this.schedule();
  }

  clear() {
    this.buffer.clear();
    this.pending = 0;
    this.rebuild = true;
    this.schedule();
  }

  /** The buffered entries as a tab-separated text file. */
  downloadText() {
    return downloadText(this.buffer.toArray());
  }

  /** Counters for the toolbar. */
  stats() {
    return { rows: this.rows, buffered: this.buffer.size, newWhilePaused: this.paused ? this.pending : 0 };
  }

  schedule() {
    if (this.frame || !this.container) return;
    this.frame = this.raf(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Stop the pending frame (the card left the page). */
  cancel() {
    if (this.frame) this.caf(this.frame);
    this.frame = 0;
  }

  render() {
    const box = this.container;
    if (!box) return;
    if (this.paused) {
      this.onChange(this.stats());
      return;
    }
    const minRank = levelRank(this.minLevel);
    const keep = (entry) => levelRank(entry.level) >= minRank;
    if (this.rebuild) {
      // Filter changed, resumed, cleared or attached: one replacement of every row.
      const rows = this.buffer.tailMatching(this.maxRows, keep);
      const fragment = document.createDocumentFragment();
      for (const entry of rows) fragment.append(rowFor(entry));
      box.replaceChildren(fragment);
      this.rows = rows.length;
      this.rebuild = false;
    } else {
      const incoming = this.buffer.tail(Math.min(this.pending, this.buffer.size)).filter(keep);
      const plan = planFrame(this.rows, incoming.length, this.maxRows);
      if (plan.remove > 0) {
        // The oldest rows go in one range deletion, not one removal per entry.
        const range = document.createRange();
        range.setStartBefore(box.firstChild);
        range.setEndAfter(box.children[plan.remove - 1]);
        range.deleteContents();
        this.rows -= plan.remove;
      }
      if (plan.append > 0) {
        const fragment = document.createDocumentFragment();
        for (let i = plan.skip; i < incoming.length; i += 1) fragment.append(rowFor(incoming[i]));
        box.append(fragment);
        this.rows += plan.append;
      }
    }
    this.pending = 0;
    // Follow the newest row unless the reader scrolled up (known from scroll events, so no extra
    // layout is forced before the writes above).
    if (this.stick) box.scrollTop = box.scrollHeight;
    this.onChange(this.stats());
  }
}

/** One row: time, level, kind, text and (for commands and replies) the bytes. */
export function rowFor(entry) {
  const row = document.createElement("div");
  const level = typeof entry.level === "string" ? entry.level : "info";
  row.className = `row ${level}`;
  row.setAttribute("role", "listitem");
  const cells = [
    ["t", clockTime(entry.time)],
    ["l", level],
    ["k", entry.kind ?? ""],
    ["x", entry.text ?? ""],
  ];
  const bytes = entryBytes(entry);
  if (bytes) cells.push(["h", bytes]);
  for (const [cls, text] of cells) {
    const cell = document.createElement("span");
    cell.className = cls;
    cell.textContent = text;
    row.append(cell);
  }
  return row;
}
