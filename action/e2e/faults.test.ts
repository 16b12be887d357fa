// The bundled action under injected faults: a chaos proxy between it and the loopback AWS never
// answers, resets connections mid-response, answers 5xx or throttles, answers slowly or cuts XML
// short. Each time the step either succeeds (the fault was transient) or fails within its deadline
// with a message naming what was pending, and the next run, with the fault gone, converges. Then
// the machine is lost (SIGKILL) at seeded random points of 20 deploys; the next run converges.
// The fault table is printed at the end: scenario → outcome → time to exit.
import { afterAll, afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { startChaosProxy, type ChaosProxy, type ChaosRule } from '../test-support/chaos-proxy.js';
import { awsEnvironment, startFakeAws, type FakeAws, type StartOptions } from '../test-support/fake-aws/index.js';
import { NODES, ROOT, runAction, type ActionRun, type RunOptions } from './run-action.js';

const image = (n: number) =>
  `123456789012.dkr.ecr.us-east-1.amazonaws.com/pubquiz@sha256:${String(n).padStart(64, 'a')}`;
const FAST: StartOptions = { stackName: 'pubquiz', changeSetReadyMs: 300, resourceStepMs: 15 };
/** The cancel's promise: the process is gone within 5 s of SIGINT/SIGTERM. */
const CANCEL_EXIT_MS = 5000;

const failure = (log: string) => log.split('\n').find((line) => line.startsWith('::error::')) ?? '';

let fake: FakeAws | undefined;
let proxy: ChaosProxy | undefined;
afterEach(async () => {
  await proxy?.close();
  await fake?.close();
  fake = proxy = undefined;
});

const table: string[] = [];
afterAll(() => {
  // The fault table for the record (jest shows console output of the file).
  console.log(['scenario | outcome | exit after', '--- | --- | ---', ...table].join('\n'));
});

async function start(preset: StartOptions['preset'], rules: ChaosRule[]) {
  fake = await startFakeAws({ ...FAST, preset });
  proxy = await startChaosProxy(fake.url, rules);
}

function run(inputs: Record<string, string>, extra: Partial<RunOptions> = {}): Promise<ActionRun> {
  return runAction({
    node: NODES.node24,
    inputs: { config: 'sample-api/deploy.yml', image: image(1), 'timeout-minutes': '1', ...inputs },
    ...extra,
    env: { ...awsEnvironment(proxy!.url), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...extra.env },
  });
}

const live = () => fake!.state().stacks.find((s) => s.name === 'pubquiz' && s.live);

/** With the fault gone, a plain deploy of the same image converges: the stack is complete and runs it. */
async function expectNextRunConverges(imageUri = image(1)): Promise<void> {
  proxy!.rules([]);
  const next = await run({ image: imageUri, 'timeout-minutes': '1' });
  expect({ code: next.code, error: failure(next.log) }).toEqual({ code: 0, error: '' });
  expect(live()?.status).toMatch(/^(CREATE|UPDATE)_COMPLETE$/);
  expect(live()?.parameters.ImageUri).toBe(imageUri);
}

function record(name: string, result: ActionRun, outcome: string): void {
  table.push(`${name} | ${outcome} | ${(result.durationMs / 1000).toFixed(1)} s`);
}

interface FaultCase {
  name: string;
  preset: StartOptions['preset'];
  rules: ChaosRule[];
  /** Transient faults: the step succeeds. Otherwise it fails with this message within its deadline. */
  fails?: RegExp;
  timeoutMinutes?: string;
}

const status = (status: number, code: string) => ({ kind: 'status' as const, status, code });

const cases: FaultCase[] = [
  {
    name: 'never answers (every request)',
    preset: 'first-create',
    rules: [{ fault: { kind: 'silent' } }],
    timeoutMinutes: '0.1',
    fails: /^::error::Timed out after 0\.1 minutes \(timeout-minutes\) waiting for DescribeStacks of stack pubquiz\.$/,
  },
  {
    name: 'never answers once the change set exists',
    preset: 'first-create',
    rules: [{ operation: 'DescribeChangeSet', fault: { kind: 'silent' } }],
    timeoutMinutes: '0.1',
    fails: /^::error::Timed out after 0\.1 minutes \(timeout-minutes\) waiting for the change set to be ready\.$/,
  },
  {
    name: 'never answers during the update',
    preset: 'existing',
    rules: [{ operation: 'DescribeStackEvents', after: 2, fault: { kind: 'silent' } }],
    timeoutMinutes: '0.1',
    fails: /^::error::Timed out after 0\.1 minutes \(timeout-minutes\) waiting for /,
  },
  {
    name: 'resets every 3rd connection mid-response',
    preset: 'first-create',
    rules: [{ every: 3, times: 12, fault: { kind: 'reset' } }],
  },
  { name: '5xx burst (8 × 503)', preset: 'existing', rules: [{ times: 8, fault: status(503, 'ServiceUnavailable') }] },
  {
    name: '5xx burst (8 × 500 InternalFailure)',
    preset: 'first-create',
    rules: [{ times: 8, fault: status(500, 'InternalFailure') }],
  },
  {
    name: 'throttles: 6 × Throttling 400',
    preset: 'first-create',
    rules: [{ times: 6, fault: status(400, 'Throttling') }],
  },
  {
    name: 'throttles: 6 × 429',
    preset: 'existing',
    rules: [{ times: 6, fault: status(429, 'TooManyRequestsException') }],
  },
  {
    name: 'answers slowly (400 ms each)',
    preset: 'first-create',
    rules: [{ fault: { kind: 'slow', delayMs: 400 } }],
    timeoutMinutes: '2',
  },
  {
    name: 'truncates every 4th answer (XML cut short)',
    preset: 'first-create',
    rules: [{ every: 4, times: 10, fault: { kind: 'truncate' } }],
  },
];

describe('the bundled action under injected faults', () => {
  it.each(cases)('$name', async ({ name, preset, rules, fails, timeoutMinutes = '1' }) => {
    await start(preset, rules);
    const result = await run({ 'timeout-minutes': timeoutMinutes });
    const injected = Object.entries(proxy!.injected)
      .map(([kind, n]) => `${n} ${kind}`)
      .join(', ');
    if (fails) {
      expect(result.code).toBe(1);
      expect(failure(result.log)).toMatch(fails);
      // Within its deadline: timeout-minutes, plus the few seconds a cancel may take to wind down.
      expect(result.durationMs).toBeLessThan(Number(timeoutMinutes) * 60_000 + CANCEL_EXIT_MS);
      record(name, result, `fails (${injected}): ${failure(result.log).replace('::error::', '')}`);
    } else {
      expect({ code: result.code, error: failure(result.log) }).toEqual({ code: 0, error: '' });
      expect(Object.keys(proxy!.injected).length).toBeGreaterThan(0);
      record(name, result, `succeeds (${injected} injected)`);
    }
    await expectNextRunConverges();
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s while AWS hangs mid-update: CancelUpdateStack, exit within 5 s',
    async (signal) => {
      await start('existing', [{ operation: 'DescribeStackEvents', after: 3, fault: { kind: 'silent' } }]);
      fake!.scenario({ resourceStepMs: 300 });
      const result = await run({ image: image(2) }, { cancel: { when: /UPDATE_IN_PROGRESS/, signal } });
      const exitMs = result.startedAt + result.durationMs - result.signalledAt!;
      expect(result.code).toBe(1);
      expect(result.log).toContain('Called CancelUpdateStack');
      expect(exitMs).toBeLessThan(CANCEL_EXIT_MS);
      expect(fake!.callCounts().CancelUpdateStack).toBe(1);
      fake!.scenario({ resourceStepMs: 15 });
      table.push(
        `${signal} while AWS hangs mid-update | cancelled, CancelUpdateStack sent | ${(exitMs / 1000).toFixed(1)} s after the signal`,
      );
      await expectNextRunConverges(image(2));
    },
  );
});

describe('setup errors', () => {
  it('a refused connection and missing credentials fail at once, with a hint of what to check', async () => {
    await start('existing', []);
    const refused = await run({}, { env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' } });
    expect(refused.code).toBe(1);
    expect(refused.log).toContain(
      '%0AHint: nothing accepts connections at http://127.0.0.1:1; check AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_CLOUDFORMATION and the Region (us-east-1).',
    );
    record('endpoint refuses connections', refused, 'fails: ECONNREFUSED + hint (endpoint, Region)');

    const anonymous = await run({}, { env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'none' } });
    expect(anonymous.code).toBe(1);
    expect(failure(anonymous.log)).toMatch(
      /%0AHint: (no AWS credentials were found|AWS did not accept the credentials)/,
    );
    expect(fake!.calls).toHaveLength(0);
    record('no credentials', anonymous, 'fails: hint names the credentials step');
  });
});

/** The bundled CLI as a process; sends `signal` once its output matches `when`. */
async function cliRun(args: string[], cancel?: { when: RegExp; signal: NodeJS.Signals }) {
  const child = spawn(NODES.node24, ['dist/cli.js', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      ...awsEnvironment(proxy!.url),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  const started = Date.now();
  let output = '';
  let signalledAt: number | undefined;
  const onData = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (cancel && signalledAt === undefined && cancel.when.test(output)) {
      signalledAt = Date.now();
      child.kill(cancel.signal);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(guard);
  const ended = Date.now();
  return { code, output, durationMs: ended - started, afterSignalMs: signalledAt && ended - signalledAt };
}

describe('plan, delete and the CLI against an endpoint that never answers', () => {
  it('plan mode fails at its deadline, naming what was pending', async () => {
    await start('existing', [{ fault: { kind: 'silent' } }]);
    const result = await run({ mode: 'plan', 'timeout-minutes': '0.05' });
    expect(result.code).toBe(1);
    expect(failure(result.log)).toMatch(
      /^::error::Timed out after 0\.05 minutes \(timeout-minutes\) waiting for DescribeStacks of stack pubquiz\.$/,
    );
    expect(result.durationMs).toBeLessThan(3000 + CANCEL_EXIT_MS);
    record('plan mode, never answers', result, `fails: ${failure(result.log).replace('::error::', '')}`);
  });

  it('delete mode exits within 5 s of SIGTERM', async () => {
    await start('existing', [{ fault: { kind: 'silent' } }]);
    const result = await run({ mode: 'delete' }, { cancel: { when: /Deleting stack pubquiz/, signal: 'SIGTERM' } });
    const exitMs = result.startedAt + result.durationMs - result.signalledAt!;
    expect(result.code).toBe(1);
    expect(failure(result.log)).toMatch(/^::error::Cancelled while waiting for DescribeStacks of stack pubquiz\.$/);
    expect(exitMs).toBeLessThan(CANCEL_EXIT_MS);
    table.push(`delete mode, never answers, SIGTERM | cancelled | ${(exitMs / 1000).toFixed(1)} s after the signal`);
  });

  it('the CLI fails at --timeout-minutes, and exits within 5 s of Ctrl-C', async () => {
    await start('existing', [{ fault: { kind: 'silent' } }]);
    const common = ['sample-api/deploy.yml', '--image', image(1), '--aws-region', 'us-east-1'];
    const timedOut = await cliRun(['plan', ...common, '--timeout-minutes', '0.05']);
    expect(timedOut.code).toBe(1);
    expect(timedOut.output).toContain(
      'private-fargate-api plan failed: Timed out after 0.05 minutes (timeout-minutes) waiting for DescribeStacks of stack pubquiz.',
    );
    expect(timedOut.durationMs).toBeLessThan(3000 + CANCEL_EXIT_MS);
    table.push(
      `CLI plan, never answers, --timeout-minutes 0.05 | fails: timed out, names DescribeStacks | ${(timedOut.durationMs / 1000).toFixed(1)} s`,
    );

    // The first AWS read (the deployed stack, for the review) never answers; Ctrl-C comes then.
    const interrupted = await cliRun(['deploy', ...common], { when: /nothing is built/, signal: 'SIGINT' });
    expect(interrupted.code).toBe(1);
    expect(interrupted.output).toContain('private-fargate-api deploy failed: Cancelled while waiting for');
    expect(interrupted.afterSignalMs).toBeLessThan(CANCEL_EXIT_MS);
    table.push(
      `CLI deploy, never answers, Ctrl-C | cancelled | ${(interrupted.afterSignalMs! / 1000).toFixed(1)} s after the signal`,
    );
  });
});

/** Deterministic pseudo-random numbers (mulberry32), so a failing kill point can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the bundled action killed (SIGKILL) at random points', () => {
  const SEED = Number(process.env.KILL_SEED ?? 20261129);

  it(`converges on the next run, every time (20 deploys, seed ${SEED})`, async () => {
    const random = seeded(SEED);
    await start('first-create', []);
    // Slower resources, so that more kill points fall inside the stack update.
    fake!.scenario({ resourceStepMs: 40 });
    // A whole update, unkilled, tells how long one lasts: kill points fall anywhere inside it.
    await expectNextRunConverges(image(100));
    const updateMs = (await run({ image: image(101) })).durationMs;
    const lines: string[] = [];
    for (let deploy = 1; deploy <= 20; deploy += 1) {
      // Each deploy changes the image: the kill lands anywhere from start-up to the smoke test.
      const killAfterMs = Math.round(100 + random() * (updateMs - 100));
      const killed = await run({ image: image(deploy) }, { killAfterMs });
      // Where it was: the last thing it logged.
      const lastLine = killed.log.trim().split('\n').at(-1)?.slice(0, 70) ?? '';
      await expectNextRunConverges(image(deploy));
      lines.push(
        `${deploy}: ${killed.code === null ? `killed after ${killAfterMs} of ~${updateMs} ms at "${lastLine}"` : `finished (exit ${killed.code}) before the kill at ${killAfterMs} ms`} → next run converged`,
      );
    }
    table.push(`kill -9 at 20 random points (seed ${SEED}) | next run converged 20/20 | —`);
    console.log(lines.join('\n'));
  }, 300_000);
});
