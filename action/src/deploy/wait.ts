// Waiting without wasting time: poll fast at first and back off gently, ride out throttling,
// and stop with a clear message at the deadline (timeout-minutes) or when the run is cancelled.
// Time comes from an injectable Clock, so tests and benches control it.
import type { Reporter } from '../reporter.js';
import { abortError } from './run-limits.js';
import { isTransient } from './transient.js';
import { Pacer, type PacingSettings } from './pacing.js';

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

export interface PollSettings extends PacingSettings {
  /** First pause between two polls. */
  initialDelayMs: number;
  /** Each pause is this much longer than the one before… */
  factor: number;
  /** …up to this cap, which bounds how late a change is noticed. */
  maxDelayMs: number;
}

/**
 * 250 ms growing ×1.5 to a 1.5 s cap: a state change is noticed within 1.5 s plus one round trip,
 * so within 2 s even at p95, however long the deploy. One DescribeStackEvents per poll.
 * Once AWS throttles, calls space out to 4 s (×1.25 per further throttle, at most 16 s) and
 * recover 100 ms per call that goes through: 50 runs sharing 10 polls/s settle near 5 s each
 * (see pacing.ts; the factors were chosen with the simulation in pacing.test.ts).
 */
export const DEFAULT_POLL: PollSettings = {
  initialDelayMs: 250,
  factor: 1.5,
  maxDelayMs: 1500,
  throttledSpacingMs: 4000,
  throttledFactor: 1.25,
  throttledMaxDelayMs: 16000,
  recoveryStepMs: 100,
};

export interface WaiterOptions {
  /** Throttled attempts the SDK retried on its own so far (the clients' CallCounter): they slow polling too. */
  sdkThrottles?: { throttled: number };
  /** Jitter source (tests pass a fixed one). */
  random?: () => number;
}

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
  private faultNoticed = false;
  private readonly pacer: Pacer;

  constructor(
    readonly clock: Clock,
    readonly poll: PollSettings,
    readonly timeoutMinutes: number,
    private readonly reporter: Reporter,
    readonly signal?: AbortSignal,
    private readonly options: WaiterOptions = {},
  ) {
    this.deadline = clock.now() + timeoutMinutes * 60_000;
    this.pacer = new Pacer(poll, options.random);
  }

  get cancelled(): boolean {
    return this.signal?.aborted ?? false;
  }

  /**
   * Runs one AWS call; when AWS throttles it, backs off (with jitter) and tries again while time
   * remains. Every throttle, also those the SDK retried by itself, slows this run's polling.
   */
  async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return this.attempt(what, fn, true);
  }

  /**
   * A call that changes something (CreateChangeSet, ExecuteChangeSet). CloudFormation budgets
   * those apart from reads, so the spacing learnt from throttled polls does not hold it back:
   * it goes at once, and only its retries are spaced.
   */
  async write<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return this.attempt(what, fn, false);
  }

  private async attempt<T>(what: string, fn: () => Promise<T>, paced: boolean): Promise<T> {
    let faultDelay = this.poll.initialDelayMs;
    for (let first = true; ; first = false) {
      this.throwIfCancelled(what);
      const hold = paced || !first ? this.pacer.holdBeforeSend(this.clock.now()) : 0;
      if (hold > 0) await this.pause(what, hold);
      this.pacer.sent(this.clock.now());
      const sdkThrottlesBefore = this.sdkThrottles();
      try {
        const result = await fn();
        const throttles = this.sdkThrottles() - sdkThrottlesBefore;
        if (throttles === 0) this.pacer.succeeded();
        else this.throttled();
        return result;
      } catch (error) {
        // A request the run's signal stopped: say what was still pending.
        this.throwIfCancelled(what);
        if (isThrottling(error)) {
          this.throttled((error as Error).name);
          continue;
        }
        if (!isTransient(error)) throw error;
        // A 5xx, a reset or a cut-off answer is no sign of load: retry soon, a little later each time.
        if (!this.faultNoticed) {
          this.faultNoticed = true;
          this.reporter.info(
            `AWS did not answer ${what} properly (${(error as Error).name}: ${firstLine(error)}); trying again.`,
          );
        }
        await this.pause(what, faultDelay);
        faultDelay = Math.min(faultDelay * 2, this.poll.maxDelayMs);
      }
    }
  }

  private throttled(name?: string): void {
    this.pacer.throttled(this.clock.now());
    if (this.throttleNoticed) return;
    this.throttleNoticed = true;
    this.reporter.info(`AWS is throttling requests${name ? ` (${name})` : ''}; backing off and trying again.`);
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

  private sdkThrottles(): number {
    return this.options.sdkThrottles?.throttled ?? 0;
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
