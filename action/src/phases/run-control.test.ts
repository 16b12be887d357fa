import { describe, expect, it } from '@jest/globals';
import { DeadlineReached } from '../deploy/run-limits.js';
import { CancelledError } from '../deploy/wait.js';
import { startRunControl, type RunHost } from './run-control.js';

/** A host whose signals, timers and exit are recorded instead of real. */
function testHost() {
  const listeners = new Map<string, () => void>();
  const timers: { ms: number; fn: () => void }[] = [];
  const exits: number[] = [];
  const host: RunHost = {
    onSignal: (signal, listener) => listeners.set(signal, listener),
    exit: (code) => exits.push(code),
    later: (ms, fn) => timers.push({ ms, fn }),
  };
  const lines: string[] = [];
  const start = (timeoutMinutes = 30) =>
    startRunControl({
      timeoutMinutes,
      host,
      warn: (m) => lines.push(`warning: ${m}`),
      fail: (m) => lines.push(`failed: ${m}`),
    });
  return { host, start, send: (signal: string) => listeners.get(signal)!(), timers, exits, lines };
}

describe('startRunControl', () => {
  it('aborts the run on the first SIGTERM, and cuts off what still hangs within 5 s', () => {
    const t = testHost();
    const signal = t.start();
    t.send('SIGTERM');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(CancelledError);
    expect(t.lines).toEqual(['warning: Received SIGTERM: cancelling (a second signal exits at once).']);
    expect(t.exits).toEqual([]);
    expect(t.timers).toHaveLength(1);
    expect(t.timers[0].ms).toBeLessThan(5000);
    t.timers[0].fn();
    expect(t.exits).toEqual([1]);
    expect(t.lines[1]).toMatch(
      /^failed: Cancelled by SIGTERM\. Work still pending after 4\.5 s was cut off; exiting\.$/,
    );
  });

  it('exits at once on a second signal', () => {
    const t = testHost();
    t.start();
    t.send('SIGINT');
    t.send('SIGINT');
    expect(t.exits).toEqual([130]);
    expect(t.lines.at(-1)).toBe('failed: Received SIGINT again: exiting now.');
  });

  it('aborts with the deadline when timeout-minutes runs out', async () => {
    const t = testHost();
    const signal = t.start(0.001); // 60 ms of real time: the deadline bounds the real process
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    expect(signal.reason).toBeInstanceOf(DeadlineReached);
    expect((signal.reason as Error).message).toBe('Timed out after 0.001 minutes (timeout-minutes).');
    expect(t.timers).toHaveLength(1);
  });
});
