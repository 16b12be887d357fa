import { afterEach, describe, expect, it } from '@jest/globals';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { awsConfig, startFakeAws, type FakeAws } from '../../test-support/fake-aws/index.js';
import { configOf, minimalInput } from '../../test-support/configs.js';
import { renderStack } from '../render/index.js';
import { MemoryReporter } from '../reporter.js';
import { withoutForeignExecutionLogGroup } from './execution-log-group.js';
import { DEFAULT_POLL, systemClock, Waiter } from '../deploy/wait.js';

let fake: FakeAws | undefined;
afterEach(async () => fake?.close());

const rendered = renderStack(configOf(minimalInput));
const { ApiExecutionLogGroup: _, ...earlierResources } = rendered.Resources;
/** What a stack deployed before the stack owned its execution log group was created from. */
const earlier = JSON.stringify({
  ...rendered,
  Resources: { ...earlierResources, Stage: { ...rendered.Resources.Stage, DependsOn: undefined } },
});

async function deployedFrom(templateBody?: string) {
  fake = await startFakeAws(
    templateBody ? { stackName: 'quiz', stack: { status: 'CREATE_COMPLETE', templateBody } } : {},
  );
  return new CloudFormationClient(awsConfig(fake.url));
}

const lookups = (reporter: MemoryReporter) => new Waiter(systemClock, DEFAULT_POLL, 1, reporter);

describe('the execution log group', () => {
  it('is created by a new stack, and stays in a stack that already owns it', async () => {
    for (const templateBody of [undefined, JSON.stringify(rendered)]) {
      const cfn = await deployedFrom(templateBody);
      const reporter = new MemoryReporter();
      expect(await withoutForeignExecutionLogGroup(cfn, lookups(reporter), 'quiz', rendered, reporter)).toBe(rendered);
      expect(reporter.text).toBe('');
      await fake!.close();
      fake = undefined;
    }
  });

  it('is left out for a stack whose API API Gateway already logged for, saying how to give it a retention', async () => {
    const cfn = await deployedFrom(earlier);
    const reporter = new MemoryReporter();
    const template = await withoutForeignExecutionLogGroup(cfn, lookups(reporter), 'quiz', rendered, reporter);
    expect(template.Resources.ApiExecutionLogGroup).toBeUndefined();
    expect(template.Resources.Stage.DependsOn).toBeUndefined();
    expect(Object.keys(template.Resources)).toHaveLength(Object.keys(rendered.Resources).length - 1);
    expect(reporter.text).toMatch(
      /warning: .*API-Gateway-Execution-Logs_\S+\/prod outside the stack.*aws logs put-retention-policy --log-group-name 'API-Gateway-Execution-Logs_\S+\/prod' --retention-in-days 30/,
    );
  });
});
