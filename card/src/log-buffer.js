/**
 * The card's log model: a fixed-capacity ring buffer of entries (O(1) push, no array shifting, no
 * growth), and the merge of a backlog that arrives again after every (re)subscription.
 */

/** Levels from least to most severe; a filter shows its level and everything above it. */
export const LEVELS = ["debug", "info", "warning", "error"];

/** Rank of a level for filtering; unknown levels count as "info". */
export function levelRank(level) {
  const rank = LEVELS.indexOf(level);
  return rank === -1 ? 1 : rank;
}

export class RingBuffer {
  /** @param {number} capacity the most items kept; older ones are overwritten. */
  constructor(capacity) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError("capacity must be >= 1");
    this.capacity = capacity;
    this.items = new Array(capacity);
    this.start = 0; // index of the oldest item
    this.size = 0;
    this.total = 0; // items ever pushed (for "N new while paused" counters)
  }

  /** Append one item; returns true when it overwrote the oldest one. */
  push(item) {
    this.total += 1;
    if (this.size < this.capacity) {
      this.items[(this.start + this.size) % this.capacity] = item;
      this.size += 1;
      return false;
    }
    this.items[this.start] = item;
    this.start = (this.start + 1) % this.capacity;
    return true;
  }

  /** The i-th oldest item (0 = oldest). */
  at(i) {
    if (i < 0 || i >= this.size) return undefined;
    return this.items[(this.start + i) % this.capacity];
  }

  /** The newest item, or undefined. */
  last() {
    return this.at(this.size - 1);
  }

  /** The newest `n` items, oldest first. */
  tail(n) {
    const count = Math.max(0, Math.min(n, this.size));
    const out = new Array(count);
    for (let i = 0; i < count; i += 1) out[i] = this.at(this.size - count + i);
    return out;
  }

  /** The newest `n` items that pass `keep`, oldest first (scans from the newest end). */
  tailMatching(n, keep) {
    const out = [];
    for (let i = this.size - 1; i >= 0 && out.length < n; i -= 1) {
      const item = this.at(i);
      if (keep(item)) out.push(item);
    }
    return out.reverse();
  }

  /** All items, oldest first. */
  toArray() {
    return this.tail(this.size);
  }

  /** Drop every item (capacity stays). */
  clear() {
    this.items = new Array(this.capacity);
    this.start = 0;
    this.size = 0;
  }
}

/**
 * Work out which entries of a backlog are new to a buffer whose newest entry has sequence number
 * `lastSeq` (undefined when the buffer holds no server entry yet).
 *
 * Every (re)subscription starts with the server's recent entries. After a reconnect most of them
 * were already shown; sequence numbers tell which ones. Three cases:
 * - continuous: the backlog reaches back to `lastSeq` or before: keep only entries after it;
 * - gap: the backlog starts after `lastSeq + 1`: entries were missed (`missed` says how many);
 * - restart: the backlog ends before `lastSeq` (the integration restarted and numbers start again):
 *   everything is new.
 * @returns {{entries: object[], missed: number, restarted: boolean}}
 */
export function newBacklogEntries(lastSeq, backlog) {
  if (!Array.isArray(backlog) || backlog.length === 0) {
    return { entries: [], missed: 0, restarted: false };
  }
  if (lastSeq === undefined) return { entries: backlog.slice(), missed: 0, restarted: false };
  const first = backlog[0].seq;
  const newest = backlog[backlog.length - 1].seq;
  if (newest < lastSeq) return { entries: backlog.slice(), missed: 0, restarted: true };
  if (first > lastSeq + 1) {
    return { entries: backlog.slice(), missed: first - lastSeq - 1, restarted: false };
  }
  return { entries: backlog.filter((e) => e.seq > lastSeq), missed: 0, restarted: false };
}
