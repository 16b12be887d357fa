import { describe, expect, it } from '@jest/globals';
import { MemoryReporter } from '../reporter.js';
import { awsError } from '../../test-support/deploy-world.js';
import { simulateDeploys } from '../../test-support/budget-simulation.js';
import { virtualTime } from '../../test-support/virtual-time.js';
import { Pacer } from './pacing.js';
import { DEFAULT_POLL, Waiter } from './wait.js';

describe('Pacer', () => {
  it('holds nothing back until AWS throttles', () => {
    const pacer = new Pacer(DEFAULT_POLL, () => 0.5);
    pacer.sent(0);
    expect(pacer.holdBeforeSend(1)).toBe(0);
  });

  it('spaces calls 4 s apart after a throttle, ×1.25 per further throttle up to 16 s', () => {
    const pacer = new Pacer(DEFAULT_POLL, () => 0.5);
    let now = 0;
    const spacings = Array.from({ length: 8 }, () => {
      pacer.throttled(now);
      now += pacer.spacingMs; // the next throttle comes once the spacing has passed
      return pacer.spacingMs;
    });
    expect(spacings).toEqual([4000, 5000, 6250, 7812.5, 9765.625, 12207.03125, 15258.7890625, 16000]);
  });

  it('widens once for throttles that come within the spacing: they answer the same overload', () => {
    const pacer = new Pacer(DEFAULT_POLL, () => 0.5);
    for (const now of [0, 100, 900, 3999]) pacer.throttled(now);
    expect(pacer.spacingMs).toBe(4000);
    pacer.throttled(4000);
    expect(pacer.spacingMs).toBe(5000);
  });

  it('holds the next call until the spacing (±25 %) has passed since the last one', () => {
    let r = 0;
    const pacer = new Pacer(DEFAULT_POLL, () => r);
    pacer.throttled(0);
    pacer.sent(10_000);
    expect(pacer.holdBeforeSend(10_000)).toBe(3000);
    r = 1;
    expect(pacer.holdBeforeSend(11_000)).toBe(4000);
    expect(pacer.holdBeforeSend(20_000)).toBe(0);
  });

  it('recovers 100 ms per call that goes through, back to no spacing at all', () => {
    const pacer = new Pacer(DEFAULT_POLL, () => 0.5);
    pacer.throttled(0);
    for (let i = 0; i < 25; i++) pacer.succeeded();
    expect(pacer.spacingMs).toBe(1500);
    for (let i = 0; i < 20; i++) pacer.succeeded();
    expect(pacer.spacingMs).toBe(0);
  });
});

describe('Waiter pacing', () => {
  it('slows its polls after throttles the SDK retried on its own', async () => {
    const clock = virtualTime();
    const sdk = { throttled: 0 };
    const sentAt: number[] = [];
    const reporter = new MemoryReporter();
    const waiter = new Waiter(clock, DEFAULT_POLL, 10, reporter, undefined, {
      sdkThrottles: sdk,
      random: () => 0.5,
    });
    let polls = 0;
    await clock.run(
      waiter.until('the stack', () => {
        sentAt.push(clock.now());
        if (++polls === 2) sdk.throttled += 1; // this poll went through on the SDK's second attempt
        return Promise.resolve(polls === 4 ? 'done' : undefined);
      }),
    );
    const gaps = sentAt.slice(1).map((at, i) => at - sentAt[i]);
    // 250 ms as usual; then 4 s, the spacing the throttle taught; then 3.9 s after one call went through.
    expect(gaps).toEqual([250, 4000, 3900]);
    expect(reporter.lines).toEqual(['AWS is throttling requests; backing off and trying again.']);
  });

  it('holds reads to the spacing but lets a write go at once', async () => {
    const clock = virtualTime();
    const sentAt: number[] = [];
    const waiter = new Waiter(clock, DEFAULT_POLL, 10, new MemoryReporter(), undefined, { random: () => 0.5 });
    let attempts = 0;
    const send = () => {
      sentAt.push(clock.now());
      return ++attempts === 1 ? Promise.reject(awsError('Throttling', 'Rate exceeded')) : Promise.resolve('ok');
    };
    await clock.run(waiter.call('the stack', send)); // throttled once: 4 s spacing from now on
    await clock.run(waiter.write('the change set to be created', send));
    await clock.run(waiter.call('the stack', send));
    // The retry after 4 s; the write at once; the next read 3.8 s later (two calls went through since).
    expect(sentAt.slice(1).map((at, i) => at - sentAt[i])).toEqual([4000, 0, 3800]);
  });

  it('widens once for a call the SDK gave up on after three throttled attempts', async () => {
    const clock = virtualTime();
    const sdk = { throttled: 0 };
    const sentAt: number[] = [];
    const waiter = new Waiter(clock, DEFAULT_POLL, 10, new MemoryReporter(), undefined, {
      sdkThrottles: sdk,
      random: () => 0.5,
    });
    let calls = 0;
    await clock.run(
      waiter.call('the stack', () => {
        sentAt.push(clock.now());
        if (++calls > 1) return Promise.resolve('ok');
        sdk.throttled += 3; // three attempts, all throttled
        return Promise.reject(awsError('Throttling', 'Rate exceeded'));
      }),
    );
    // Three throttles within a moment: one overload, so 4 s before the call is tried again.
    expect(sentAt[1] - sentAt[0]).toBe(4000);
  });

  it('retries a throttled call once the spacing has passed, slowing further on each throttle', async () => {
    const clock = virtualTime();
    const sentAt: number[] = [];
    const reporter = new MemoryReporter();
    const waiter = new Waiter(clock, DEFAULT_POLL, 10, reporter, undefined, { random: () => 0.5 });
    let attempts = 0;
    const result = await clock.run(
      waiter.call('the stack', () => {
        sentAt.push(clock.now());
        return ++attempts <= 3 ? Promise.reject(awsError('Throttling', 'Rate exceeded')) : Promise.resolve('ok');
      }),
    );
    expect(result).toBe('ok');
    expect(sentAt.slice(1).map((at, i) => at - sentAt[i])).toEqual([4000, 5000, 6250]);
    expect(reporter.lines).toEqual(['AWS is throttling requests (Throttling); backing off and trying again.']);
  });
});

describe('deploys sharing one account’s CloudFormation budget (simulated time)', () => {
  it('a lone deploy is never throttled and notices within its 1.5 s poll cap', async () => {
    const result = await simulateDeploys(1);
    expect(result).toMatchObject({ failed: 0, throttled: 0 });
    expect(result.p95).toBeLessThanOrEqual(1500 + 30);
  });

  it('10 deploys at once all succeed, noticing within 5 s at p95', async () => {
    const result = await simulateDeploys(10);
    expect(result.failed).toBe(0);
    expect(result.p95).toBeLessThanOrEqual(5000);
    expect(result.throttled).toBeLessThan(result.callsPerDeploy * 10 * 0.1);
  });

  it('50 deploys at once all succeed, settling near their fair share of the budget', async () => {
    // 50 runs on 10 polls/s get one poll each per 5 s at best: a change is noticed after
    // 2.5 s on average and 4.75 s at p95. Pacing lands within about 1.6× of that; few calls are refused.
    for (const seed of [1, 2, 3]) {
      const result = await simulateDeploys(50, seed);
      expect(result.failed).toBe(0);
      expect(result.p50).toBeLessThanOrEqual(2500);
      expect(result.p95).toBeLessThanOrEqual(8000);
      expect(result.throttled).toBeLessThan(result.callsPerDeploy * 50 * 0.2);
    }
  });
});
