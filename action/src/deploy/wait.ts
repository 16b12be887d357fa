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
  /** A throttled call is tried again after this (jittered ±50 %, doubling), or the spacing if sooner. */
  throttledRetryMs: number;
}

/**
 * 250 ms growing ×1.5 to a 1.5 s cap: a state change is noticed within 1.5 s plus one round trip,
 * so within 2 s even at p95, however long the deploy. One DescribeStackEvents per poll.
 * Once AWS throttles, calls space out to 5 s (50 runs' share of 10 reads/s); each further
 * throttle cuts the rate to 0.8× (down to a call per 16 s), and the rate grows back by 0.005
 * calls/s per second, so runs that share the budget settle at equal shares of it (see pacing.ts;
 * the figures were chosen with the simulation in test-support/budget-simulation.ts).
 */
export const DEFAULT_POLL: PollSettings = {
  initialDelayMs: 250,
  factor: 1.5,
  maxDelayMs: 1500,
  throttledRetryMs: 1000,
  throttledSpacingMs: 5000,
  throttledFactor: 0.8,
  throttledMaxDelayMs: 16000,
  recoveryPerSecond: 0.005,
};

export interface WaiterOptions {
  /** CloudFormation's throttled attempts so far, those the SDK retried on its own included: they slow polling too. */
  sdkThrottles?: { throttled: number };
  /** Jitter source (tests pass a fixed one). */
  random?: () => number;
  /** The run's pacing, shared by all its waiters: what one learnt about the budget holds for the next. */
  pacer?: Pacer;
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
  private readonly random: () => number;

  constructor(
    readonly clock: Clock,
    readonly poll: PollSettings,
    readonly timeoutMinutes: number,
    private readonly reporter: Reporter,
    readonly signal?: AbortSignal,
    private readonly options: WaiterOptions = {},
  ) {
    this.deadline = clock.now() + timeoutMinutes * 60_000;
    this.pacer = options.pacer ?? new Pacer(poll, options.random);
    this.random = options.random ?? Math.random;
  }

  get cancelled(): boolean {
    return this.signal?.aborted ?? false;
  }

  /**
   * Runs one AWS call; when AWS throttles it, backs off (with jitter) and tries again while time
   * remains. Every throttle, also those the SDK retried by itself, slows this run's polling.
   */
  async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return this.attempt(what, fn, 'read');
  }

  /**
   * A call that changes something (CreateChangeSet, ExecuteChangeSet). CloudFormation budgets
   * those apart from reads, so the spacing learnt from throttled polls does not hold it back:
   * it goes at once, and only its retries are spaced. Its throttling slows the polls too: it
   * says many deploys share the account right now.
   */
  async write<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return this.attempt(what, fn, 'write');
  }

  /**
   * A call to another service (ECS, CloudWatch, S3). It draws on that service's budget, not on
   * CloudFormation's, so the pace learnt there neither holds it back nor learns from it; a
   * throttled attempt is retried like a fault, soon and a little later each time.
   */
  async callElsewhere<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return this.attempt(what, fn, 'elsewhere');
  }

  private async attempt<T>(what: string, fn: () => Promise<T>, kind: 'read' | 'write' | 'elsewhere'): Promise<T> {
    const paced = kind !== 'elsewhere';
    let faultDelay = this.poll.initialDelayMs;
    let retryDelay = this.poll.throttledRetryMs;
    for (let first = true, throttled = false; ; first = false) {
      this.throwIfCancelled(what);
      let hold = kind === 'read' || (kind === 'write' && !first) ? this.pacer.holdBeforeSend(this.clock.now()) : 0;
      if (throttled) {
        // The refused attempt learnt nothing, so its answer is overdue: it need not wait out the
        // whole spacing, only a jittered pause that doubles while AWS keeps refusing it.
        hold = Math.min(hold, retryDelay * (0.5 + this.random()));
        retryDelay = Math.min(retryDelay * 2, this.poll.throttledMaxDelayMs);
      }
      if (hold > 0) await this.pause(what, hold);
      if (paced) this.pacer.sent(this.clock.now());
      const sdkThrottlesBefore = this.sdkThrottles();
      try {
        const result = await fn();
        // Throttles the SDK rode out itself count too: the call went through, but late.
        if (paced) {
          if (this.sdkThrottles() > sdkThrottlesBefore) this.throttled();
          else this.pacer.succeeded();
        }
        return result;
      } catch (error) {
        // A request the run's signal stopped: say what was still pending.
        this.throwIfCancelled(what);
        if (isThrottling(error)) {
          if (paced) {
            this.throttled((error as Error).name);
            throttled = true;
            continue;
          }
          this.noticeThrottling((error as Error).name);
        } else if (isTransient(error)) {
          // A 5xx, a reset or a cut-off answer is no sign of load: retry soon, a little later each time.
          this.noticeFault(what, error as Error);
        } else throw error;
        await this.pause(what, faultDelay);
        faultDelay = Math.min(faultDelay * 2, this.poll.maxDelayMs);
      }
    }
  }

  private throttled(name?: string): void {
    this.pacer.throttled(this.clock.now());
    this.noticeThrottling(name);
  }

  private noticeThrottling(name?: string): void {
    if (this.throttleNoticed) return;
    this.throttleNoticed = true;
    this.reporter.info(`AWS is throttling requests${name ? ` (${name})` : ''}; backing off and trying again.`);
  }

  private noticeFault(what: string, error: Error): void {
    if (this.faultNoticed) return;
    this.faultNoticed = true;
    this.reporter.info(`AWS did not answer ${what} properly (${error.name}: ${firstLine(error)}); trying again.`);
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
