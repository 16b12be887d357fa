// Sharing CloudFormation's request budget with everyone else deploying into the account and
// Region (50 services from one matrix, say): AIMD on the least time between one run's calls.
// A throttled attempt widens that spacing by a factor, so throttled runs drop to their share of
// the budget; each call that goes through unthrottled takes a step off, so a run creeps back
// towards fast polling as the others finish. Each wait is jittered (±25 %), so runs throttled
// together do not come back together. Until AWS first throttles the spacing is 0: polling keeps
// exactly its unthrottled schedule.

export interface PacingSettings {
  /** Spacing after the first throttle; each further throttle multiplies it by throttledFactor… */
  throttledSpacingMs: number;
  throttledFactor: number;
  /** …up to this cap (which bounds how late a change is noticed under heavy throttling). */
  throttledMaxDelayMs: number;
  /** Taken off the spacing by each call that was not throttled. */
  recoveryStepMs: number;
}

export class Pacer {
  /** Least time between two calls that the budget seems to allow (0: no throttling seen). */
  spacingMs = 0;
  private lastSentAt = -Infinity;
  private widenedAt = -Infinity;

  constructor(
    private readonly settings: PacingSettings,
    private readonly random: () => number = Math.random,
  ) {}

  /** How long to hold the next call back so that calls stay `spacingMs` apart (jittered). */
  holdBeforeSend(now: number): number {
    if (this.spacingMs === 0) return 0;
    return Math.max(0, this.lastSentAt + this.spacingMs * (0.75 + 0.5 * this.random()) - now);
  }

  sent(now: number): void {
    this.lastSentAt = now;
  }

  /**
   * AWS throttled an attempt: slow down, once per spacing. Throttles that follow within the
   * spacing (the SDK's quick retries, the next call) answer the same overload, not a new one.
   */
  throttled(now: number): void {
    if (now - this.widenedAt < this.spacingMs) return;
    this.widenedAt = now;
    const { throttledSpacingMs, throttledMaxDelayMs } = this.settings;
    this.spacingMs = Math.min(
      Math.max(this.spacingMs * this.settings.throttledFactor, throttledSpacingMs),
      throttledMaxDelayMs,
    );
  }

  /** A call went through without being throttled: speed up a little. */
  succeeded(): void {
    this.spacingMs = Math.max(0, this.spacingMs - this.settings.recoveryStepMs);
  }
}
