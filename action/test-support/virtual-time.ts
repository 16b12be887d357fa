// A clock for many concurrent runs in one test: time stands still while any run has work to do,
// and jumps to the next sleeper's wake-up once all of them sleep. Nothing waits for real time.
import type { Clock } from '../src/deploy/wait.js';
import { T0 } from './deploy-world.js';

export interface VirtualTime extends Clock {
  /** Drives the clock until `work` settles; its result (or error). */
  run<T>(work: Promise<T>): Promise<T>;
}

export function virtualTime(start = T0): VirtualTime {
  let now = start;
  let serial = 0;
  const sleepers: { at: number; serial: number; wake: () => void }[] = [];
  const settled = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((wake) => {
        if (signal?.aborted) return wake();
        sleepers.push({ at: now + Math.max(0, ms), serial: serial++, wake });
      }),
    async run(work) {
      let done = false;
      const finished = work.finally(() => (done = true));
      finished.catch(() => undefined);
      for (;;) {
        await settled(); // every run goes as far as it can before time moves
        if (done) return finished;
        sleepers.sort((a, b) => a.at - b.at || a.serial - b.serial);
        const next = sleepers.shift();
        if (!next) throw new Error('Every run is waiting on something other than the clock');
        now = next.at;
        next.wake();
      }
    },
  };
}
