import { describe, expect, it } from '@jest/globals';
import { MemoryReporter } from '../reporter.js';
import { awsError, fakeClock } from '../../test-support/deploy-world.js';
import { DEFAULT_POLL, Waiter, isThrottling } from './wait.js';

function waiter(timeoutMinutes = 10, signal?: AbortSignal) {
  const clock = fakeClock();
  const pauses: number[] = [];
  clock.onSleep = (ms) => pauses.push(ms);
  const reporter = new MemoryReporter();
  return { clock, pauses, reporter, waiter: new Waiter(clock, DEFAULT_POLL, timeoutMinutes, reporter, signal) };
}

describe('Waiter', () => {
  it('polls fast at first and never pauses more than 1.5 s between polls', async () => {
    const { waiter: w, pauses } = waiter();
    let polls = 0;
    await w.until('something', () => Promise.resolve(++polls === 12 ? 'done' : undefined));
    expect(pauses.slice(0, 4)).toEqual([250, 375, 562.5, 843.75]);
    expect(Math.max(...pauses)).toBe(1500);
  });

  it('fails at the deadline with a message naming timeout-minutes and what it waited for', async () => {
    const { waiter: w, clock } = waiter(1);
    const started = clock.now();
    await expect(w.until('the change set to be ready', () => Promise.resolve(undefined))).rejects.toThrow(
      'Timed out after 1 minute (timeout-minutes) waiting for the change set to be ready.',
    );
    expect(clock.now() - started).toBe(60_000);
  });

  it('does not retry other errors', async () => {
    const { waiter: w } = waiter();
    await expect(w.call('x', () => Promise.reject(awsError('AccessDenied', 'not allowed')))).rejects.toThrow(
      'not allowed',
    );
  });

  it('stops when the run is cancelled', async () => {
    const controller = new AbortController();
    const { waiter: w } = waiter(10, controller.signal);
    let polls = 0;
    const waiting = w.until('the stack', () => {
      if (++polls === 3) controller.abort();
      return Promise.resolve(undefined);
    });
    await expect(waiting).rejects.toThrow('Cancelled while waiting for the stack.');
  });

  it('recognises throttling by name, by status 429 and by the SDK flag', () => {
    expect(isThrottling(awsError('ThrottlingException', ''))).toBe(true);
    expect(isThrottling(Object.assign(new Error(), { $metadata: { httpStatusCode: 429 } }))).toBe(true);
    expect(isThrottling(Object.assign(new Error(), { $retryable: { throttling: true } }))).toBe(true);
    expect(isThrottling(awsError('ValidationError', 'Stack does not exist'))).toBe(false);
  });
});
