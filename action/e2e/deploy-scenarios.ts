// What a user of the action sees on each deploy path (create, update, no changes, failures,
// cancel, plan, render, delete), run against the bundled action as a real process and the
// loopback AWS. Shared by one test file per Node version, so jest runs them side by side.
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsEnvironment, startFakeAws, type FakeAws, type StartOptions } from '../test-support/fake-aws/index.js';
import { startFakeGitHub, type FakeGitHub } from '../test-support/fake-github.js';
import { NODES, nodeVersion, runAction, type RunOptions } from './run-action.js';
import { renderStack } from '../src/render/index.js';
import { sampleConfig } from '../test-support/plan-capture.js';
import { twoNatGateways } from '../test-support/sample-edits.js';

/** The sample as an earlier run deployed it: the scoreboard behind an API key and two NAT gateways. */
function earlierSample() {
  const base = twoNatGateways(sampleConfig());
  const routes = base.api.routes.map((route) =>
    route.path === '/quizzes/{quizId}/scoreboard' ? { ...route, auth: 'api-key' as const } : route,
  );
  return { ...base, api: { ...base.api, routes } };
}

const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/pubquiz@sha256:${'a'.repeat(64)}`;
// Scripted time kept short: a change set is ready after 0.3 s, each resource takes 15 ms.
const FAST: StartOptions = { stackName: 'pubquiz', changeSetReadyMs: 300, resourceStepMs: 15 };

/** An open GET route of the sample config. */
const SMOKE_PATH = '/quizzes/q1/scoreboard';

/** The first `::error::` line: what the runner shows as the step's failure. */
const failure = (log: string) => log.split('\n').find((line) => line.startsWith('::error::')) ?? '';

export function deployScenarios(nodeName: keyof typeof NODES): void {
  const node = NODES[nodeName];
  if (!node) {
    // CI must run every Node it promises; a developer machine without one is told what is skipped.
    const missing = `no Node ${nodeName.slice(4)} binary found (set NODE${nodeName.slice(4)}_BINARY, or put one on PATH)`;
    if (process.env.CI === 'true') it(`runs under ${nodeName}`, () => expect(missing).toBe('a Node binary'));
    else describe.skip(`the bundled action on ${nodeName}: ${missing}`, () => it('is skipped', () => undefined));
    return;
  }
  const binary: string = node;
  let fake: FakeAws | undefined;
  let github: FakeGitHub | undefined;
  /** A test's own temporary directory, removed after it. */
  let scratch: string | undefined;
  afterEach(async () => {
    await fake?.close();
    await github?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
    fake = github = scratch = undefined;
  });

  async function deploy(scenario: StartOptions, inputs: Record<string, string> = {}, extra: Partial<RunOptions> = {}) {
    fake ??= await startFakeAws({ ...FAST, ...scenario });
    return runAction({
      node: binary,
      inputs: { config: 'sample-api/deploy.yml', image: IMAGE, 'timeout-minutes': '2', ...inputs },
      ...extra,
      env: { ...awsEnvironment(fake.url), ...extra.env },
    });
  }
  const stack = () => fake!.state().stacks.find((s) => s.name === 'pubquiz' && s.live);

  const version = nodeVersion(binary);
  describe(`the bundled action on Node ${version}`, () => {
    it(`runs on the Node major it is named after (${nodeName})`, () => {
      expect(version).toMatch(new RegExp(`^v${nodeName.slice(4)}\\.`));
    });

    it('creates the stack on a first deploy, reports the API URL and smoke-tests it', async () => {
      // smoke-path auto: the sample routes GET /health openly, so the health check is called.
      const run = await deploy({});
      expect(run.code).toBe(0);
      expect(run.outputs['api-url']).toMatch(new RegExp(`^${fake!.url}/restapis/\\w+/prod$`));
      expect(run.outputs['has-changes']).toBe('true');
      expect(run.outputs['stack-id']).toMatch(/^arn:aws:cloudformation:us-east-1:123456789012:stack\/pubquiz\//);
      expect(run.outputs['image-uri']).toBe(IMAGE);
      expect(run.outputs.ClusterName).toBeTruthy();
      const changes = JSON.parse(run.outputs.changes) as { action: string }[];
      expect(changes.length).toBeGreaterThan(50);
      expect(changes.every((c) => c.action === 'Add')).toBe(true);
      expect(run.log).toMatch(/CREATE_COMPLETE\s+pubquiz \(AWS::CloudFormation::Stack\)/);
      expect(run.log).toMatch(/Smoke test: GET .*\/prod\/health → 200/);
      expect(run.summary).toContain('Deployed stack `pubquiz`');
      expect(run.summary).toContain(run.outputs['api-url']);
      expect(run.summary).toMatch(/\*\*Exposure:\*\* .*GET \/health/);
      expect(run.summary).toContain('```mermaid');
      // The image is pinned by digest in the stack, and the stack is tagged with its project.
      expect(stack()!.parameters.ImageUri).toBe(IMAGE);
      expect(stack()!.tags).toContainEqual({ Key: 'Project', Value: 'pubquiz' });
    });

    it('updates an existing stack and applies termination protection and the execution role', async () => {
      const roleArn = 'arn:aws:iam::123456789012:role/pubquiz-cfn-exec';
      const run = await deploy(
        { preset: 'existing' },
        { 'termination-protection': 'true', 'role-arn': roleArn, 'smoke-path': SMOKE_PATH },
      );
      expect(run.code).toBe(0);
      expect(run.log).toMatch(/UPDATE_COMPLETE/);
      expect(stack()).toMatchObject({ status: 'UPDATE_COMPLETE', terminationProtection: true, roleArn });
      expect(run.log).toMatch(/Smoke test: GET .*\/prod\/quizzes\/q1\/scoreboard → 200/);
    });

    it('reports no changes on a second deploy of the same template, and deletes the empty change set', async () => {
      expect((await deploy({})).code).toBe(0);
      const again = await deploy({});
      expect(again.code).toBe(0);
      expect(again.outputs['has-changes']).toBe('false');
      expect(again.outputs['change-set-id']).toBe('');
      expect(again.log).toContain('No changes to stack pubquiz');
      expect(fake!.state().changeSets.filter((cs) => cs.deleted)).toHaveLength(1);
      expect(again.summary).toContain('No changes to stack `pubquiz`');
    });

    it('fails with the root cause first, not the last rollback line', async () => {
      const run = await deploy({ preset: 'failure' });
      expect(run.code).toBe(1);
      expect(failure(run.log)).toMatch(/\(AWS::[A-Za-z0-9:]+\) failed: Resource handler returned message/);
      expect(failure(run.log)).toMatch(/^::error::Resource \w+ /);
      expect(stack()?.status ?? fake!.state().stacks[0].status).toBe('ROLLBACK_COMPLETE');
    });

    it("shows why the service's tasks stop when it never stabilizes", async () => {
      const run = await deploy({
        preset: 'unstable-service',
        service: { tasks: 'image-pull', taskCycleMs: 200, failAfterMs: 1500 },
      });
      expect(run.code).toBe(1);
      expect(run.log).toContain('CannotPullContainerError');
    });

    it('deletes a ROLLBACK_COMPLETE stack and creates it again', async () => {
      const run = await deploy({ preset: 'rollback-complete' });
      expect(run.code).toBe(0);
      expect(run.log).toMatch(/ROLLBACK_COMPLETE[\s\S]*Deleting it first/);
      expect(stack()!.status).toBe('CREATE_COMPLETE');
    });

    it('refuses a ROLLBACK_COMPLETE stack when delete-failed-stack is off, and says how', async () => {
      const run = await deploy({ preset: 'rollback-complete' }, { 'delete-failed-stack': 'false' });
      expect(run.code).toBe(1);
      expect(failure(run.log)).toMatch(/ROLLBACK_COMPLETE/);
      expect(failure(run.log)).toMatch(/delete/i);
    });

    it('creates through a stack left in REVIEW_IN_PROGRESS', async () => {
      const run = await deploy({ preset: 'review-in-progress' });
      expect(run.code).toBe(0);
      expect(stack()!.status).toBe('CREATE_COMPLETE');
    });

    it('waits for another run to finish, then deploys', async () => {
      const run = await deploy({
        preset: 'in-progress',
        stack: { status: 'UPDATE_IN_PROGRESS', inProgressForMs: 1500 },
      });
      expect(run.code).toBe(0);
      expect(run.log).toMatch(/UPDATE_IN_PROGRESS/);
      expect(stack()!.status).toBe('UPDATE_COMPLETE');
    });

    it('fails with a clear message when timeout-minutes runs out', async () => {
      const run = await deploy({ resourceStepMs: 1000 }, { 'timeout-minutes': '0.05' });
      expect(run.code).toBe(1);
      expect(failure(run.log)).toMatch(/time|timeout/i);
      expect(failure(run.log)).toMatch(/0\.05 min|3 s|timeout-minutes/);
    });

    it('rides out throttling', async () => {
      const run = await deploy({ preset: 'throttling' });
      expect(run.code).toBe(0);
      expect(fake!.state().calls.some((c) => c.error === 'Throttling')).toBe(true);
      expect(stack()!.status).toBe('CREATE_COMPLETE');
    });

    it('cancels the update when the runner cancels the job', async () => {
      const run = await deploy(
        { preset: 'existing', resourceStepMs: 300 },
        {},
        { cancel: { when: /UPDATE_IN_PROGRESS/, signal: 'SIGINT' } },
      );
      expect(run.code).toBe(1);
      expect(run.log).toContain('CancelUpdateStack');
      expect(stack()!.status).toMatch(/^UPDATE_ROLLBACK_/);
    });

    it('fails the step when the API never answers 2xx', async () => {
      const run = await deploy({ preset: 'smoke-fails' }, { 'timeout-minutes': '0.05', 'smoke-path': SMOKE_PATH });
      expect(run.code).toBe(1);
      expect(failure(run.log)).toMatch(/Smoke test failed: GET .*\/prod\/quizzes\/q1\/scoreboard did not answer 2xx/);
    });

    it('deletes the stack in delete mode', async () => {
      const run = await deploy({ preset: 'existing' }, { mode: 'delete' });
      expect(run.code).toBe(0);
      expect(stack()).toBeUndefined();
      expect(run.summary).toContain('Stack `pubquiz` deleted');
    });

    it('plans on a pull request: risks, route diff, cost delta and drift in one comment, edited in place on the next push', async () => {
      github = await startFakeGitHub();
      const eventPath = join((scratch = await mkdtemp(join(tmpdir(), 'event-'))), 'event.json');
      await writeFile(eventPath, JSON.stringify({ pull_request: { number: 7 } }));
      const env = { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventPath, GITHUB_API_URL: github.url };
      const inputs = { mode: 'plan', 'github-token': 'ghs_example' };
      // Deployed earlier: the scoreboard behind an API key, two NAT gateways, an older image; since
      // then someone changed the task's memory by hand. The pull request's config is the sample.
      const scenario: StartOptions = {
        stack: {
          status: 'CREATE_COMPLETE',
          templateBody: JSON.stringify(renderStack(earlierSample())),
          parameters: { ImageUri: IMAGE.replace(/a{64}$/, 'b'.repeat(64)) },
        },
        drift: {
          detectionMs: 100,
          resources: [
            { logicalId: 'TaskDefinition', differences: [{ path: '/Memory', expected: '512', actual: '1024' }] },
          ],
        },
      };
      const first = await deploy(scenario, inputs, { env });
      const second = await deploy(scenario, inputs, { env });
      expect([first.code, second.code]).toEqual([0, 0]);
      expect(github.comments).toHaveLength(1);
      expect(github.requests.filter((r) => r.startsWith('PATCH'))).toHaveLength(1);
      const body = github.comments[0].body;
      expect(body).toContain('<!-- private-fargate-api:plan stack=pubquiz -->');
      // The risk list leads, above the full change table.
      expect(body.indexOf('#### ⚠️ Risks')).toBeLessThan(body.indexOf('| Action | Logical ID |'));
      expect(body).toContain('- **PUBLIC**: GET /quizzes/{quizId}/scoreboard: api-key → public — became PUBLIC');
      expect(body).toContain('- **~ GET /quizzes/{quizId}/scoreboard: api-key → public — became PUBLIC**');
      expect(body).toContain(
        `- ~ Image: ${IMAGE.slice(0, -52).replace(/a{12}$/, 'b'.repeat(12))} → sha256:${'a'.repeat(12)}`,
      );
      expect(body).toContain(
        '#### 💰 Cost: $147.27/month → $110.77/month, -$36.50 (estimate, us-east-1 prices as of 2026-11-29)',
      );
      expect(body).toContain('| NAT gateways | 1 × 730 h | $65.70 | $32.85 | -$32.85 |');
      expect(body).toContain('#### 🔀 Drift: changed by hand since the last deploy');
      expect(body).toContain(
        '- TaskDefinition (AWS::ECS::TaskDefinition) was changed by hand: /Memory: 512 → 1024 (NOT_EQUAL) — this deploy overwrites it',
      );
      expect(first.log).toMatch(
        /::warning::Stack pubquiz was changed outside CloudFormation; resources this deploy updates lose those changes:/,
      );
      expect(first.summary).toContain('#### ⚠️ Risks');
      // A plan changes nothing.
      expect(stack()!.status).toBe('CREATE_COMPLETE');
      expect(first.outputs['has-changes']).toBe('true');
    });

    it('renders without touching AWS in render mode', async () => {
      const run = await deploy({}, { mode: 'render', image: '' });
      expect(run.code).toBe(0);
      expect(run.outputs['template-path']).toMatch(/pubquiz\.template\.yaml$/);
      expect(run.summary).toContain('#### 💰 Cost: $110.77/month (estimate, us-east-1 prices as of 2026-11-29)');
      expect(fake!.calls).toHaveLength(0);
    });

    it('lists every problem of a bad config and calls no AWS API', async () => {
      const dir = (scratch = await mkdtemp(join(tmpdir(), 'config-')));
      const config = join(dir, 'deploy.yml');
      await writeFile(config, 'name: PubQuiz\nservice:\n  port: 80800\n  cpu: 300\n');
      const run = await deploy({}, { config });
      expect(run.code).toBe(1);
      // Each problem is an annotation on its own line of the file (the failure message alone would match too).
      const annotations = run.log
        .split('\n')
        .filter((line) => line.startsWith(`::error title=Invalid deploy config,file=${config},`));
      expect(annotations).toEqual([
        expect.stringMatching(/,line=1,col=\d+::name: /),
        expect.stringMatching(/,line=3,col=\d+::service\.port: /),
        expect.stringMatching(/,line=4,col=\d+::service\.cpu: /),
      ]);
      expect(fake!.calls).toHaveLength(0);
    });
  });
}
