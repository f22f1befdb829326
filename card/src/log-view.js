/**
 * The live log on screen, windowed: the model's view holds up to `log_rows` entries, but the DOM
 * holds only the rows that fit in the log's box (plus one), reused frame after frame. A tall
 * spacer gives the scrollbar its full height; the rows sit at the scroll position. Arriving
 * entries only schedule an animation frame; the frame applies them to the model in one batch
 * (the oldest leave in the same batch), then rewrites the visible rows' text: one layout per
 * frame, inside the log's box, however many entries arrived.
 */
import { clockTime, entryBytes } from "./log-format.js";
import { LogModel } from "./log-model.js";

/** Height of one row in px (the CSS gives rows exactly this height). */
export const ROW_HEIGHT = 18;

/**
 * Which rows to show: `total` entries of ROW_HEIGHT px in a box `height` px tall scrolled to
 * `scrollTop` (following the newest entry when `stick`).
 * @returns {{top: number, first: number, count: number, maxTop: number}} the scroll position to
 *   use, the first entry shown and how many rows are shown from it.
 */
export function visibleWindow(total, height, scrollTop, stick) {
  const maxTop = Math.max(0, total * ROW_HEIGHT - height);
  const top = stick ? maxTop : Math.max(0, Math.min(scrollTop, maxTop));
  const first = Math.floor(top / ROW_HEIGHT);
  const count = Math.max(0, Math.min(total - first, Math.ceil(height / ROW_HEIGHT) + 1));
  return { top, first, count, maxTop };
}

export class LogView {
  /**
   * @param {{maxRows: number, onChange?: (stats: object) => void,
   *          raf?: (cb: () => void) => number, caf?: (id: number) => void}} options
   */
  constructor({ maxRows, onChange = () => {}, raf, caf }) {
    this.model = new LogModel(maxRows);
    this.onChange = onChange;
    this.raf = raf ?? ((cb) => requestAnimationFrame(cb));
    this.caf = caf ?? ((id) => cancelAnimationFrame(id));
    this.frame = 0;
    this.container = null;
    this.rows = []; // the pooled row elements
    this.stick = true;
    this.scrollTop = 0;
    this.height = 0;
    this.dirty = true;
  }

  /** Render into `container` (the scrolling box); null detaches. */
  attach(container) {
    if (container === this.container) return;
    if (this.container) {
      this.container.removeEventListener("scroll", this.onScroll);
      this.resize?.disconnect();
    }
    this.container = container;
    this.rows = [];
    if (!container) return;
    this.spacer = document.createElement("div");
    this.spacer.className = "spacer";
    this.spacer.setAttribute("role", "presentation");
    this.window = document.createElement("div");
    this.window.className = "window";
    this.window.setAttribute("role", "presentation");
    this.spacer.append(this.window);
    container.replaceChildren(this.spacer);
    this.stick = true;
    this.height = container.clientHeight;
    this.onScroll = () => {
      this.scrollTop = container.scrollTop;
      this.stick = this.scrollTop >= this.model.view.size * ROW_HEIGHT - this.height - 4;
      this.dirty = true;
      this.schedule();
    };
    container.addEventListener("scroll", this.onScroll, { passive: true });
    if (typeof ResizeObserver === "function") {
      this.resize = new ResizeObserver((entries) => {
        this.height = entries[entries.length - 1].contentRect.height;
        this.dirty = true;
        this.schedule();
      });
      this.resize.observe(container);
    }
    this.dirty = true;
    this.schedule();
  }

  push(entries) {
    this.model.push(entries);
    this.schedule();
  }

  backlog(entries) {
    this.model.backlog(entries);
    this.schedule();
  }

  dropped(count) {
    this.model.dropped(count);
    this.schedule();
  }

  setFilter(minLevel) {
    this.model.setFilter(minLevel);
    this.schedule();
  }

  setPaused(paused) {
    this.model.setPaused(paused);
    this.schedule();
  }

  clear() {
    this.model.clear();
    this.schedule();
  }

  downloadText() {
    return this.model.downloadText();
  }

  /** Counters for the toolbar. */
  stats() {
    return { rows: this.model.view.size, buffered: this.model.buffer.size, newWhilePaused: this.model.newWhilePaused() };
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
    const { changed, trimmed } = this.model.takeFrame();
    if (changed || this.dirty) {
      this.dirty = false;
      const view = this.model.view;
      // A reader scrolled up keeps the same entries in sight while old ones leave the front.
      if (!this.stick && trimmed > 0) this.scrollTop -= trimmed * ROW_HEIGHT;
      const { top, first, count } = visibleWindow(view.size, this.height, this.scrollTop, this.stick);
      setStyle(this.spacer, "height", `${view.size * ROW_HEIGHT}px`);
      setStyle(this.window, "transform", `translateY(${first * ROW_HEIGHT}px)`);
      this.fillRows(first, count);
      if (top !== this.scrollTop || box.scrollTop !== top) {
        this.scrollTop = top;
        box.scrollTop = top;
      }
    }
    this.onChange(this.stats());
  }

  /** Show entries first..first+count-1 in the pooled rows (growing or shrinking the pool once). */
  fillRows(first, count) {
    if (this.rows.length < count) {
      const fragment = document.createDocumentFragment();
      while (this.rows.length < count) {
        const row = makeRow();
        this.rows.push(row);
        fragment.append(row);
      }
      this.window.append(fragment);
    } else if (this.rows.length > count) {
      for (const row of this.rows.splice(count)) row.remove();
    }
    const view = this.model.view;
    for (let i = 0; i < count; i += 1) fillRow(this.rows[i], view.at(first + i));
  }
}

/** Set an inline style only when it changes (an equal write can still invalidate style). */
function setStyle(element, property, value) {
  if (element.style[property] !== value) element.style[property] = value;
}

const CELLS = ["t", "l", "k", "x", "h"];

function makeRow() {
  const row = document.createElement("div");
  row.setAttribute("role", "listitem");
  for (const cls of CELLS) {
    const cell = document.createElement("span");
    cell.className = cls;
    row.append(cell);
  }
  return row;
}

/** Write one entry into a pooled row (nothing when it already shows that entry). */
export function fillRow(row, entry) {
  if (row.entry === entry) return;
  row.entry = entry;
  const level = typeof entry.level === "string" ? entry.level : "info";
  row.className = `row ${level}`;
  const texts = [clockTime(entry.time), level, entry.kind ?? "", entry.text ?? "", entryBytes(entry)];
  const cells = row.children;
  for (let i = 0; i < texts.length; i += 1) {
    if (cells[i].textContent !== texts[i]) cells[i].textContent = texts[i];
  }
}
