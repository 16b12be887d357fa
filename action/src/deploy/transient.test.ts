import { describe, expect, it } from '@jest/globals';
import { MemoryReporter } from '../reporter.js';
import { awsError, fakeClock } from '../../test-support/deploy-world.js';
import { DeadlineReached } from './run-limits.js';
import { isTransient } from './transient.js';
import { DEFAULT_POLL, TimeoutError, Waiter } from './wait.js';

const withStatus = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('isTransient', () => {
  it('counts 5xx, attempt timeouts, resets and answers cut short', () => {
    expect(isTransient(withStatus('ServiceUnavailable', 503))).toBe(true);
    expect(isTransient(withStatus('InternalFailure', 500))).toBe(true);
    expect(isTransient(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransient(new Error('AWS SDK error wrapper for Error: aborted'))).toBe(true);
    expect(isTransient(withStatus('@aws-sdk XML parse error: unexpected end of input.', 200))).toBe(true);
  });

  it('leaves AWS refusals and a wrong endpoint alone', () => {
    expect(isTransient(withStatus('ValidationError', 400))).toBe(false);
    expect(isTransient(withStatus('AccessDenied', 403))).toBe(false);
    expect(isTransient(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(false);
  });
});

describe('Waiter.call', () => {
  it('asks again after transient errors, says so once, and returns the answer', async () => {
    const clock = fakeClock();
    const reporter = new MemoryReporter();
    const waiter = new Waiter(clock, DEFAULT_POLL, 10, reporter);
    let calls = 0;
    const result = await waiter.call('the change set', () => {
      calls += 1;
      if (calls === 1) return Promise.reject(withStatus('ServiceUnavailable', 503));
      if (calls === 2) return Promise.reject(new Error('@aws-sdk XML parse error: unexpected end of input.'));
      return Promise.resolve('ready');
    });
    expect(result).toBe('ready');
    expect(reporter.lines).toEqual([
      'AWS did not answer the change set properly (ServiceUnavailable: ServiceUnavailable); trying again.',
    ]);
  });

  it('does not repeat a refusal', async () => {
    const waiter = new Waiter(fakeClock(), DEFAULT_POLL, 10, new MemoryReporter());
    await expect(
      waiter.call('the stack', async () => Promise.reject(awsError('ValidationError', 'Stack quiz does not exist'))),
    ).rejects.toThrow('Stack quiz does not exist');
  });

  it('turns a request stopped by the step deadline into a timeout naming what was pending', async () => {
    const run = new AbortController();
    const waiter = new Waiter(fakeClock(), DEFAULT_POLL, 10, new MemoryReporter(), run.signal);
    const error = await waiter
      .call('DescribeStacks of stack quiz', () => {
        run.abort(new DeadlineReached(0.5));
        return Promise.reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
      })
      .catch((e: Error) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe(
      'Timed out after 0.5 minutes (timeout-minutes) waiting for DescribeStacks of stack quiz.',
    );
  });
});
