// Waiting without wasting time: poll fast at first and back off gently, ride out throttling,
// and stop with a clear message at the deadline (timeout-minutes) or when the run is cancelled.
// Time comes from an injectable Clock, so tests and benches control it.
import type { Reporter } from '../reporter.js';
import { abortError } from './run-limits.js';
import { isTransient } from './transient.js';

const firstLine = (error: unknown) => String((error as Error).message).split('\n')[0];

export interface Clock {
  now(): number;
  /** Resolves after ms, or early when the signal aborts (callers then check signal.aborted). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export interface PollSettings {
  /** First pause between two polls. */
  initialDelayMs: number;
  /** Each pause is this much longer than the one before… */
  factor: number;
  /** …up to this cap, which bounds how late a change is noticed. */
  maxDelayMs: number;
  /** Cap for the pauses after AWS throttled a call (doubling from maxDelayMs). */
  throttledMaxDelayMs: number;
}

/**
 * 250 ms growing ×1.5 to a 1.5 s cap: a state change is noticed within 1.5 s plus one round trip,
 * so within 2 s even at p95, however long the deploy. One DescribeStackEvents per poll.
 */
export const DEFAULT_POLL: PollSettings = {
  initialDelayMs: 250,
  factor: 1.5,
  maxDelayMs: 1500,
  throttledMaxDelayMs: 16000,
};

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

export class CancelledError extends Error {
  override readonly name = 'CancelledError';
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return THROTTLING.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429 || e?.$retryable?.throttling === true;
}

/** One operation's time budget: every AWS call and every poll of the operation goes through it. */
export class Waiter {
  private readonly deadline: number;
  private throttleNoticed = false;

  constructor(
    readonly clock: Clock,
    readonly poll: PollSettings,
    readonly timeoutMinutes: number,
    private readonly reporter: Reporter,
    readonly signal?: AbortSignal,
  ) {
    this.deadline = clock.now() + timeoutMinutes * 60_000;
  }

  get cancelled(): boolean {
    return this.signal?.aborted ?? false;
  }

  /** Runs one AWS call; when AWS throttles it, backs off and tries again while time remains. */
  async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    let delay = this.poll.maxDelayMs;
    for (;;) {
      this.throwIfCancelled(what);
      try {
        return await fn();
      } catch (error) {
        // A request the run's signal stopped: say what was still pending.
        this.throwIfCancelled(what);
        const throttled = isThrottling(error);
        if (!throttled && !isTransient(error)) throw error;
        if (!this.throttleNoticed) {
          this.throttleNoticed = true;
          this.reporter.info(
            throttled
              ? `AWS is throttling requests (${(error as Error).name}); backing off and trying again.`
              : `AWS did not answer ${what} properly (${(error as Error).name}: ${firstLine(error)}); trying again.`,
          );
        }
        await this.pause(what, delay);
        delay = Math.min(delay * 2, this.poll.throttledMaxDelayMs);
      }
    }
  }

  /** Polls check until it returns a value; `what` names the wait in the timeout message. */
  async until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
    let delay = this.poll.initialDelayMs;
    for (;;) {
      const result = await this.call(what, check);
      if (result !== undefined) return result;
      await this.pause(what, delay);
      delay = Math.min(delay * this.poll.factor, this.poll.maxDelayMs);
    }
  }

  /** Sleeps ms, but never past the deadline; at the deadline, fails naming what it waited for. */
  async pause(what: string, ms: number): Promise<void> {
    const remaining = this.deadline - this.clock.now();
    if (remaining <= 0) {
      const minutes = this.timeoutMinutes === 1 ? '1 minute' : `${this.timeoutMinutes} minutes`;
      throw new TimeoutError(`Timed out after ${minutes} (timeout-minutes) waiting for ${what}.`);
    }
    await this.clock.sleep(Math.min(ms, remaining), this.signal);
    this.throwIfCancelled(what);
  }

  throwIfCancelled(what: string): void {
    if (this.cancelled) throw abortError(this.signal!, what);
  }
}
