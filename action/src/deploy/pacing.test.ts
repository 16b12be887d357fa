import { describe, expect, it } from '@jest/globals';
import { MemoryReporter } from '../reporter.js';
import { awsError } from '../../test-support/deploy-world.js';
import { simulateDeploys } from '../../test-support/budget-simulation.js';
import { virtualTime } from '../../test-support/virtual-time.js';
import { Pacer } from './pacing.js';
import { DEFAULT_POLL, Waiter } from './wait.js';
import { CallCounter, waiterFor } from './clients.js';

describe('Pacer', () => {
  it('holds nothing back until AWS throttles', () => {
    const pacer = new Pacer(DEFAULT_POLL, () => 0.5);
    pacer.sent(0);
    expect(pacer.holdBeforeSend(1)).toBe(0);
  });

  it('spaces calls 5 s apart after a throttle, each further throttle cutting the rate to 0.8×, down to a call per 16 s', () => {
    const pacer = new Pacer(DEFAULT_POLL, () => 0.5);
    let now = 0;
    const spacings = Array.from({ length: 8 }, () => {
      pacer.throttled(now);
      now += pacer.spacingMs + 1; // the next throttle comes once the spacing has passed
      return pacer.spacingMs;
    });
    const expected = [5000, 6250, 7812.5, 9765.625, 12207.03125, 15258.7890625, 16000, 16000];
    expect(spacings).toEqual(expected.map((ms) => expect.closeTo(ms, 6)));
  });

  it('cuts once for throttles that come within the spacing: they answer the same overload', () => {
    const pacer = new Pacer(DEFAULT_POLL, () => 0.5);
    for (const now of [0, 100, 900, 4999]) pacer.throttled(now);
    expect(pacer.spacingMs).toBe(5000);
    pacer.throttled(5000);
    expect(pacer.spacingMs).toBeCloseTo(6250);
  });

  it('holds the next call until the spacing (±10 %) has passed since the last one', () => {
    let r = 0;
    const pacer = new Pacer(DEFAULT_POLL, () => r);
    pacer.throttled(0);
    pacer.sent(10_000);
    expect(pacer.holdBeforeSend(10_000)).toBe(4500);
    r = 1;
    expect(pacer.holdBeforeSend(11_000)).toBe(4500);
    expect(pacer.holdBeforeSend(20_000)).toBe(0);
  });

  it('grows back at the same rate per second in every run, so a run slowed down far catches up', () => {
    /** A run throttled `cuts` times, then polling at its pace for a minute without a throttle. */
    const callsPerSecondAfterAMinute = (cuts: number) => {
      const pacer = new Pacer(DEFAULT_POLL, () => 0.5);
      let now = 0;
      for (let i = 0; i < cuts; i++) pacer.throttled((now += 20_000));
      const before = 1000 / pacer.spacingMs;
      pacer.sent(now);
      const end = now + 60_000;
      while (now + pacer.spacingMs <= end) {
        now += pacer.spacingMs;
        pacer.sent(now);
        pacer.succeeded();
      }
      return { before, after: 1000 / pacer.spacingMs, minutes: (now - (end - 60_000)) / 60_000 };
    };
    const barely = callsPerSecondAfterAMinute(1);
    const far = callsPerSecondAfterAMinute(4);
    expect(far.before).toBeCloseTo(barely.before * 0.8 ** 3);
    // Both gained 0.005 calls/s for each second polled: the gap between them did not widen.
    for (const run of [barely, far]) expect(run.after - run.before).toBeCloseTo(0.3 * run.minutes, 2);
    expect(barely.after / far.after).toBeLessThan(barely.before / far.before);
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
    // 250 ms as usual; then 5 s, the spacing the throttle taught; then a little less after one call went through.
    expect(gaps.map(Math.round)).toEqual([250, 5000, 4444]);
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
    await clock.run(waiter.call('the stack', send)); // throttled once: 5 s spacing from now on
    await clock.run(waiter.write('the change set to be created', send));
    await clock.run(waiter.call('the stack', send));
    // The refused read again after 1 s; the write at once; the next read a spacing later.
    expect(sentAt.slice(1).map((at, i) => Math.round(at - sentAt[i]))).toEqual([1000, 0, 4878]);
  });

  it('tries a refused call again soon, pausing twice as long each time AWS refuses it again', async () => {
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
    // The refused call's answer is overdue: 1 s, 2 s, 4 s (all sooner than the 5 s spacing).
    expect(sentAt.slice(1).map((at, i) => at - sentAt[i])).toEqual([1000, 2000, 4000]);
    expect(reporter.lines).toEqual(['AWS is throttling requests (Throttling); backing off and trying again.']);
  });

  it('cuts once for a call the SDK gave up on after three throttled attempts', async () => {
    const clock = virtualTime();
    const sdk = { throttled: 0 };
    const pacer = new Pacer(DEFAULT_POLL, () => 0.5);
    const waiter = new Waiter(clock, DEFAULT_POLL, 10, new MemoryReporter(), undefined, { sdkThrottles: sdk, pacer });
    let calls = 0;
    await clock.run(
      waiter.call('the stack', () => {
        if (++calls > 1) return Promise.resolve('ok');
        sdk.throttled += 3; // three attempts, all throttled
        return Promise.reject(awsError('Throttling', 'Rate exceeded'));
      }),
    );
    // Three throttles within a moment: one overload, one cut (and 1 s of recovery since).
    expect(1000 / pacer.spacingMs).toBeCloseTo(0.2 + 0.005);
  });

  it('paces calls to other services by nothing CloudFormation taught, and learns nothing from their throttling', async () => {
    const clock = virtualTime();
    const pacer = new Pacer(DEFAULT_POLL, () => 0.5);
    const waiter = new Waiter(clock, DEFAULT_POLL, 10, new MemoryReporter(), undefined, { pacer, random: () => 0.5 });
    pacer.throttled(clock.now());
    pacer.sent(clock.now());
    const sentAt: number[] = [];
    let attempts = 0;
    await clock.run(
      waiter.callElsewhere('the ECS service', () => {
        sentAt.push(clock.now());
        return ++attempts === 1
          ? Promise.reject(awsError('ThrottlingException', 'Rate exceeded'))
          : Promise.resolve('ok');
      }),
    );
    // At once despite CloudFormation's 5 s spacing; retried like a fault; the spacing untouched.
    expect(sentAt.map((at) => at - sentAt[0])).toEqual([0, DEFAULT_POLL.initialDelayMs]);
    expect(pacer.spacingMs).toBe(5000);
  });

  it('a run’s stages share what throttling taught: the deploy starts at the pace the review learnt', async () => {
    const clock = virtualTime();
    const clients = { clock, poll: DEFAULT_POLL, calls: new CallCounter(), pacer: new Pacer(DEFAULT_POLL, () => 0.5) };
    const sentAt: number[] = [];
    let attempts = 0;
    const send = () => {
      sentAt.push(clock.now());
      return ++attempts === 1 ? Promise.reject(awsError('Throttling', 'Rate exceeded')) : Promise.resolve('ok');
    };
    await clock.run(waiterFor(clients, 5, new MemoryReporter()).call('the stack', send));
    await clock.run(waiterFor(clients, 30, new MemoryReporter()).call('the change set', send));
    // Not at once: about the 5 s spacing the review's throttle taught (less the little regained since).
    expect(sentAt[2] - sentAt[1]).toBeGreaterThan(4500);
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

  it('50 deploys at once all succeed, noticing within 5 s at p95', async () => {
    // 50 runs on 10 polls/s get one poll each per 5 s if they all poll at once: a change is
    // noticed after 2.5 s on average and 4.75 s at p95. Runs that start and finish at different
    // times leave the others more. Refused attempts (the SDK's quick retries included) stay
    // fewer than those AWS admits.
    for (const seed of [1, 2, 3]) {
      const result = await simulateDeploys(50, seed);
      expect(result.failed).toBe(0);
      expect(result.p50).toBeLessThanOrEqual(2500);
      expect(result.p95).toBeLessThanOrEqual(5000);
      expect(result.throttled).toBeLessThan(result.callsPerDeploy * 50 * 0.5);
    }
  });
});
