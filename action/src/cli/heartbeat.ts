// A line now and then while nothing else is printed (a change set being computed, a service
// stabilising): how long the current step has run and what it is waiting on, so a quiet terminal
// is not mistaken for a hung one. Time comes from an injectable Ticker, never real time in tests.
import { formatDuration } from '../deploy/stack.js';

export interface Ticker {
  now(): number;
  /** Calls tick every ms until the returned stop is called; must not keep the process alive. */
  every(ms: number, tick: () => void): () => void;
}

export const systemTicker: Ticker = {
  now: () => Date.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** Quiet this long before the first heartbeat, and between two of them. */
export const QUIET_MS = 15_000;

export class Heartbeat {
  private readonly steps: { title: string; started: number }[] = [];
  private lastWrite: number;
  private lastLine = '';
  private stop: (() => void) | undefined;

  constructor(
    private readonly ticker: Ticker,
    private readonly beat: (line: string) => void,
    private readonly quietMs = QUIET_MS,
  ) {
    this.lastWrite = ticker.now();
  }

  /** Something was printed: the next heartbeat waits a full quiet period from now. */
  wrote(line: string): void {
    this.lastWrite = this.ticker.now();
    if (line.trim()) this.lastLine = line.trim().split('\n').at(-1)!;
  }

  enter(title: string): void {
    this.steps.push({ title, started: this.ticker.now() });
    this.stop ??= this.ticker.every(Math.min(1000, this.quietMs), () => this.tick());
  }

  leave(): void {
    this.steps.pop();
    if (this.steps.length === 0) {
      this.stop?.();
      this.stop = undefined;
    }
  }

  private tick(): void {
    const step = this.steps.at(-1);
    const now = this.ticker.now();
    if (!step || now - this.lastWrite < this.quietMs) return;
    const last = this.lastLine ? `; last: ${this.lastLine.slice(0, 100)}` : '';
    this.beat(`  … still waiting: ${step.title}, ${formatDuration(now - step.started)} so far${last}`);
    this.lastWrite = now;
  }
}
