// The rollout as a user of the action sees it: the bundled action run as a real process against
// the loopback AWS, whose ECS walks each strategy's lifecycle stages over scripted time, fires an
// alarm when told to, and rolls back. Node 20 only: the deploy scenarios cover both Node majors.
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsEnvironment, startFakeAws, type FakeAws, type StartOptions } from '../test-support/fake-aws/index.js';
import { NODES, ROOT, runAction } from './run-action.js';

const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/pubquiz@sha256:${'b'.repeat(64)}`;
const FAST: StartOptions = { stackName: 'pubquiz', changeSetReadyMs: 300, resourceStepMs: 15, preset: 'existing' };
const failure = (log: string) => log.split('\n').find((line) => line.startsWith('::error::')) ?? '';
const rolloutLines = (log: string) => log.split('\n').filter((line) => line.startsWith('rollout of '));

describe('the rollout, live in the log of the bundled action', () => {
  let fake: FakeAws | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await fake?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    fake = dir = undefined;
  });

  /** The sample config, with `deployment` lines added under service.deployment. */
  async function sampleWith(deployment: string[]): Promise<string> {
    const sample = await readFile(join(ROOT, 'sample-api/deploy.yml'), 'utf8');
    dir = await mkdtemp(join(tmpdir(), 'rollout-'));
    const config = join(dir, 'deploy.yml');
    const anchor = '    healthCheckGracePeriod: 30\n';
    await writeFile(config, sample.replace(anchor, anchor + deployment.map((line) => `    ${line}\n`).join('')));
    return config;
  }

  async function deploy(scenario: StartOptions, config = 'sample-api/deploy.yml') {
    fake = await startFakeAws({ ...FAST, ...scenario });
    return runAction({
      node: NODES.node24,
      inputs: { config, image: IMAGE, 'timeout-minutes': '2', 'smoke-path': '' },
      env: awsEnvironment(fake.url),
    });
  }

  it('follows a healthy rolling deploy with one ECS call per poll, and reports it', async () => {
    const run = await deploy({ rollout: { durationMs: 3000 } });
    expect(run.code).toBe(0);
    const lines = rolloutLines(run.log);
    expect(lines.some((l) => /\(rolling\): SCALE_UP · new \d\/\d running/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/\(rolling\): SUCCESSFUL .*alarms monitoring complete \(3\)/);
    // At most one line per change.
    expect(new Set(lines).size).toBe(lines.length);
    // In the stack's group, before the stack completes.
    expect(run.log.indexOf(lines[0])).toBeGreaterThan(run.log.indexOf('::group::Deploying stack pubquiz'));
    const counts = fake!.callCounts();
    const ecsCalls = fake!.calls.filter((c) => c.service === 'ecs').map((c) => c.operation);
    expect([...new Set(ecsCalls)].sort()).toEqual(['DescribeServiceDeployments', 'DescribeServices']);
    expect(ecsCalls.length).toBeLessThanOrEqual(counts.DescribeStackEvents);
    expect(fake!.callCounts('cloudwatch')).toEqual({});
    expect(run.summary).toContain('### Rollout of `');
    expect(run.summary).toContain('(rolling): SUCCESSFUL');
    expect(run.outputs.DashboardUrl).toMatch(
      /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/cloudwatch\/.*#dashboards/,
    );
    expect(run.summary).toContain(`**Dashboard:** ${run.outputs.DashboardUrl}`);
  });

  it('fails with the alarm that rolled the deployment back: name, metric, threshold and value', async () => {
    const run = await deploy({
      rollout: { durationMs: 6000, alarm: { name: 'api-5xx-rate', atMs: 1500, value: 0.31 } },
    });
    expect(run.code).toBe(1);
    expect(failure(run.log)).toMatch(
      /^::error::ECS rolled the deployment back: alarm pubquiz-api-5xx-rate fired \(AWS\/ApiGateway 5XXError Average > 0\.05\): Threshold Crossed: .*\[0\.31 /,
    );
    expect(rolloutLines(run.log).some((l) => l.includes('ALARM: pubquiz-api-5xx-rate'))).toBe(true);
    expect(fake!.callCounts('cloudwatch')).toEqual({ DescribeAlarms: 1 });
    expect(run.summary).toContain('## ❌ Deploy of stack `pubquiz` failed');
    expect(run.summary).toMatch(/ROLLBACK_SUCCESSFUL|ROLLBACK_IN_PROGRESS/);
  });

  it('fails with the circuit breaker and the stopped tasks’ reasons when the new tasks never get healthy', async () => {
    const run = await deploy({ service: { tasks: 'exit', exitCode: 3, taskCycleMs: 200, failAfterMs: 1500 } });
    expect(run.code).toBe(1);
    expect(failure(run.log)).toMatch(
      /^::error::ECS rolled the deployment back: the circuit breaker tripped after \d+ failed tasks \(threshold 3\)/,
    );
    expect(run.log).toMatch(/Essential container in task exited[\s\S]*exit code 3/);
  });

  it('shifts all traffic at once with blue/green, then bakes before the old tasks go', async () => {
    const config = await sampleWith(['strategy: blue-green', 'bakeTimeMinutes: 1']);
    const run = await deploy({ rollout: { durationMs: 8000 } }, config);
    expect(run.code).toBe(0);
    const lines = rolloutLines(run.log).join('\n');
    expect(lines).toMatch(
      /\(blue-green\): (PRODUCTION_TRAFFIC_SHIFT|BAKE_TIME) · new (\d)\/\2 running · old \d running · traffic 100% on new/,
    );
    expect(lines).toMatch(/\(blue-green\): BAKE_TIME .* · bake 1 min left/);
    expect(lines).toMatch(/\(blue-green\): SUCCESSFUL/);
    const service = fake!.state().stacks.find((s) => s.name === 'pubquiz')!.resources;
    expect(service.map((r) => r.logicalId)).toEqual(
      expect.arrayContaining(['AlternateTargetGroup', 'EcsInfrastructureRole']),
    );
  });

  it('rolls a canary back when an alarm fires while it bakes', async () => {
    const config = await sampleWith(['strategy: canary', 'canary: { percent: 10, bakeTimeMinutes: 2 }']);
    // The canary bakes from 20% to 50% of the rollout: the alarm fires in the middle of it.
    const run = await deploy(
      { rollout: { durationMs: 8000, alarm: { name: 'api-latency-p99', atMs: 3600, value: 3200 } } },
      config,
    );
    expect(run.code).toBe(1);
    const lines = rolloutLines(run.log).join('\n');
    expect(lines).toMatch(/\(canary\): PRODUCTION_TRAFFIC_SHIFT .*traffic 10% on new/);
    expect(lines).toMatch(/\(canary\): ROLLBACK_\w+ .*traffic 0% on new/);
    expect(lines).not.toMatch(/traffic 100% on new/);
    expect(failure(run.log)).toMatch(
      /^::error::ECS rolled the deployment back: alarm pubquiz-api-latency-p99 fired \(AWS\/ApiGateway Latency p99 > 2000\): .*\[3200 /,
    );
  });
});
