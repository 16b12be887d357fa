import { afterEach, describe, expect, it } from '@jest/globals';
import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { planClients } from '../../test-support/deploy-world.js';
import { createDeployClients } from '../deploy/clients.js';
import { reviewMarkdown } from '../plan/format.js';
import type { Template } from '../render/template.js';
import { MemoryReporter } from '../reporter.js';
import {
  awsConfig,
  awsEnvironment,
  sampleTemplate,
  startFakeAws,
  type FakeAws,
} from '../../test-support/fake-aws/index.js';
import { sampleConfig } from '../../test-support/plan-capture.js';
import { getInputs } from './inputs.js';
import { deployWithReview } from './review.js';

let fake: FakeAws | undefined;
const savedEnv = { ...process.env };
afterEach(async () => {
  process.env = { ...savedEnv };
  await fake?.close();
  fake = undefined;
});

const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:${'0'.repeat(64)}`;

function renderedApp() {
  return {
    config: sampleConfig(),
    configDir: '.',
    stackName: 'app',
    template: JSON.parse(sampleTemplate()) as Template,
    templateBody: sampleTemplate(),
    templatePath: '',
    diagram: '',
  };
}

describe('the review phase', () => {
  it('still plans when the role may not read the deployed template, and says what the review compares with', async () => {
    fake = await startFakeAws({ preset: 'existing', stackName: 'app', changeSetReadyMs: 20, resourceStepMs: 1 });
    const cfn = new CloudFormationClient(awsConfig(fake.url));
    const send = cfn.send.bind(cfn) as (command: unknown) => Promise<unknown>;
    cfn.send = ((command: unknown) => {
      if (command instanceof GetTemplateCommand) {
        const denied = new Error('User is not authorized to perform: cloudformation:GetTemplate');
        denied.name = 'AccessDenied';
        return Promise.reject(denied);
      }
      return send(command);
    }) as typeof cfn.send;
    const clients = planClients(cfn);
    const given: Record<string, string> = { mode: 'plan', 'aws-region': 'us-east-1', drift: 'off' };
    const reporter = new MemoryReporter();
    const { result, review } = await deployWithReview(
      clients,
      getInputs((name) => given[name] ?? '', {}),
      {
        config: sampleConfig(),
        configDir: '.',
        stackName: 'app',
        template: JSON.parse(sampleTemplate({ taskCpu: '512' })) as Template,
        templateBody: sampleTemplate({ taskCpu: '512' }),
        templatePath: '',
        diagram: '',
      },
      IMAGE,
      reporter,
      new AbortController().signal,
      { repositoryUrl: '' },
    );
    expect(result.hasChanges).toBe(true);
    expect(reporter.text).toContain(
      'warning: Could not read the deployed stack app for the review: User is not authorized to perform: cloudformation:GetTemplate',
    );
    expect(reviewMarkdown(review)).toMatch(
      /^> Compared with nothing: the deployed stack could not be read \(User is not authorized to perform: cloudformation:GetTemplate\); every route, role and cost line shows as new\.\n/,
    );
  });
});

describe('CloudFormation reads of a deploy (the budget every deploy in the account and Region shares)', () => {
  /** The CloudFormation calls of a deploy through the review phase, up to and including ExecuteChangeSet. */
  async function readsUpToExecute(options: Parameters<typeof startFakeAws>[0]) {
    fake = await startFakeAws({ stackName: 'app', changeSetReadyMs: 20, resourceStepMs: 1, ...options });
    Object.assign(process.env, awsEnvironment(fake.url));
    const clients = createDeployClients({ region: 'us-east-1', poll: { initialDelayMs: 10, maxDelayMs: 40 } });
    const given: Record<string, string> = { mode: 'deploy', 'aws-region': 'us-east-1', drift: 'off' };
    const reporter = new MemoryReporter();
    await deployWithReview(
      clients,
      getInputs((name) => given[name] ?? '', {}),
      renderedApp(),
      IMAGE,
      reporter,
      new AbortController().signal,
      { repositoryUrl: '' },
    );
    expect(reporter.text).toContain('Stack app is ');
    const calls = fake
      .state()
      .calls.filter((call) => call.service === 'cloudformation')
      .map((call) => call.operation);
    const polls = (operation: string) => (name: string) => name !== operation;
    return calls.slice(0, calls.indexOf('ExecuteChangeSet') + 1).filter(polls('DescribeChangeSet'));
  }

  it('a first deploy reads the stack once before its change set, and no event before executing it', async () => {
    expect(await readsUpToExecute({})).toEqual(['DescribeStacks', 'CreateChangeSet', 'ExecuteChangeSet']);
  });

  it('an update reads the stack and its template once; the template tells whether the stack owns its execution log group', async () => {
    expect(await readsUpToExecute({ preset: 'existing' })).toEqual([
      'DescribeStacks',
      'GetTemplate',
      'CreateChangeSet',
      'ExecuteChangeSet',
    ]);
  });
});
