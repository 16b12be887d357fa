// Sharing CloudFormation's request budget with everyone else deploying into the account and
// Region (50 services from one matrix, say). Each run learns its share from throttling alone,
// with the rule congestion control uses for the same problem (AIMD, on the rate of calls):
// a throttle cuts the rate by a factor, and the rate grows back by the same amount per second
// for every run. Growing per second, not per call, is what makes runs converge to equal shares:
// a run slowed down far grows back as fast as one that was barely touched, so no run is left
// polling every 16 s while the others poll every 3 s, and a change is noticed equally soon in
// every run. Until AWS first throttles, nothing is held back: polling keeps exactly its
// unthrottled schedule.

/**
 * Each wait is the spacing ±10 %: enough that runs throttled together do not come back together,
 * and little enough that no gap between polls runs long (a change is noticed late in long gaps).
 */
const JITTER = 0.1;

export interface PacingSettings {
  /** Spacing of calls after the first throttle… */
  throttledSpacingMs: number;
  /** …and the factor each further throttle multiplies the rate by… */
  throttledFactor: number;
  /** …down to one call per this many ms (which bounds how late a change is noticed). */
  throttledMaxDelayMs: number;
  /** Calls per second the rate grows back by, per second, while calls go through. */
  recoveryPerSecond: number;
}

export class Pacer {
  /** Calls per second the budget seems to allow (Infinity: no throttling seen). */
  private rate = Infinity;
  private lastSentAt = -Infinity;
  private previousSentAt = -Infinity;
  private cutAt = -Infinity;

  constructor(
    private readonly settings: PacingSettings,
    private readonly random: () => number = Math.random,
  ) {}

  /** Least time between two calls (0: not pacing). */
  get spacingMs(): number {
    return this.rate === Infinity ? 0 : 1000 / this.rate;
  }

  /** How long to hold the next call back so that calls stay `spacingMs` apart (jittered). */
  holdBeforeSend(now: number): number {
    if (this.rate === Infinity) return 0;
    return Math.max(0, this.lastSentAt + this.spacingMs * (1 - JITTER + 2 * JITTER * this.random()) - now);
  }

  sent(now: number): void {
    this.previousSentAt = this.lastSentAt;
    this.lastSentAt = now;
  }

  /**
   * AWS throttled an attempt: slow down, once per spacing. Throttles that follow within the
   * spacing (the SDK's quick retries, the next call) answer the same overload, not a new one.
   */
  throttled(now: number): void {
    if (now - this.cutAt < this.spacingMs) return;
    this.cutAt = now;
    const { throttledSpacingMs, throttledFactor, throttledMaxDelayMs } = this.settings;
    const cut = this.rate === Infinity ? 1000 / throttledSpacingMs : this.rate * throttledFactor;
    this.rate = Math.max(cut, 1000 / throttledMaxDelayMs);
  }

  /** A call went through without being throttled: grow the rate by the time since the call before. */
  succeeded(): void {
    if (this.rate === Infinity) return;
    const seconds = Math.min(this.lastSentAt - this.previousSentAt, this.settings.throttledMaxDelayMs) / 1000;
    this.rate += this.settings.recoveryPerSecond * seconds;
  }
}
