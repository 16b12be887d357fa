// Shared by the benches: percentiles of a sample, and warm timing of a synchronous function.
import { performance } from 'node:perf_hooks';

/** The p-th percentile (0-100) of values, nearest rank. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Runs fn `warmup` times unmeasured, then `runs` times; median and p95 in milliseconds. */
export function timeWarm(fn: () => unknown, { warmup = 20, runs = 200 } = {}): { median: number; p95: number } {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return { median: percentile(times, 50), p95: percentile(times, 95) };
}
