// A clock for the loopback AWS that moves only when a test says so: scripted time (change sets,
// resources, ECS tasks) then never races the machine's real time, however loaded it is.

export interface ManualClock {
  now: () => number;
  advance(ms: number): void;
}

export function manualClock(start = Date.UTC(2026, 10, 26, 9, 0, 0)): ManualClock {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

/**
 * Advances the clock stepMs at a time until probe returns something truthy; fails after maxMs of
 * scripted time. No real time passes between probes.
 */
export async function advanceUntil<T>(
  clock: ManualClock,
  probe: () => Promise<T | undefined | false>,
  { stepMs = 10, maxMs = 60_000 } = {},
): Promise<T> {
  for (let waited = 0; ; waited += stepMs) {
    const value = await probe();
    if (value) return value;
    if (waited >= maxMs) throw new Error(`Condition not reached within ${maxMs} ms of scripted time`);
    clock.advance(stepMs);
  }
}
