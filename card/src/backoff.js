/**
 * Exponential backoff with full jitter: the n-th retry (n = 0, 1, 2, ...) waits a uniformly random
 * time in [0, min(cap, base * 2^n)). With the defaults that is [0, 1 s), [0, 2 s), [0, 4 s), ...
 * up to [0, 30 s). `reset()` after a success starts again from the first window.
 *
 * Full jitter spreads many clients that lost the same server over the whole window, so a restart
 * of Home Assistant is not greeted by every open card at the same instant.
 */
export class Backoff {
  /**
   * @param {{base?: number, cap?: number, random?: () => number}} [options]
   *   base and cap in milliseconds; random returns a number in [0, 1) (Math.random by default).
   */
  constructor({ base = 1000, cap = 30000, random = Math.random } = {}) {
    if (!(base > 0) || !(cap >= base)) throw new RangeError("need 0 < base <= cap");
    this.base = base;
    this.cap = cap;
    this.random = random;
    this.failures = 0;
  }

  /** The upper bound of the window the next delay is drawn from (ms). */
  window() {
    // 2^30 already exceeds any sensible cap/base ratio; clamping keeps the power finite.
    return Math.min(this.cap, this.base * 2 ** Math.min(this.failures, 30));
  }

  /** Draw the next delay (ms) and widen the window for the one after. */
  next() {
    const delay = this.random() * this.window();
    this.failures += 1;
    return delay;
  }

  /** Back to the first window (call after a success). */
  reset() {
    this.failures = 0;
  }
}
