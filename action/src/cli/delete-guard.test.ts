import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { awsConfig, sampleTemplate, startFakeAws, type FakeAws } from '../../test-support/fake-aws/index.js';
import type { CliIO } from './command.js';
import { confirmDelete } from './delete-guard.js';

/** The sample stack as this tool renders it: its Description carries the mark. */
const ours = () => {
  const template = JSON.parse(sampleTemplate());
  template.Description = 'quiz: a private Fargate service behind an internal NLB (private-fargate-api)';
  return JSON.stringify(template);
};

describe('confirmDelete', () => {
  let fake: FakeAws;
  let cfn: CloudFormationClient;
  beforeAll(async () => {
    fake = await startFakeAws({ stackName: 'quiz', changeSetReadyMs: 10, resourceStepMs: 1 });
    cfn = new CloudFormationClient(awsConfig(fake.url));
  });
  afterAll(async () => {
    cfn.destroy();
    await fake.close();
  });

  /** An IO whose person answers `answer` (or who is not there when undefined). */
  const terminal = (answer?: string) => {
    const seen = { questions: [] as string[], stderr: '' };
    const io: CliIO = {
      cwd: '/',
      stdout: () => {},
      stderr: (text) => void (seen.stderr += text),
      ask: answer === undefined ? undefined : async (q) => (seen.questions.push(q), answer),
    };
    return { io, seen };
  };
  const confirm = (io: CliIO, yes = false) => confirmDelete(cfn, 'quiz', 'quiz', 'us-east-1', yes, io);

  it('refuses a stack another tool created, whatever the answer or --yes', async () => {
    fake.scenario({ stack: { name: 'quiz', status: 'CREATE_COMPLETE' } });
    const { io, seen } = terminal('quiz');
    await expect(confirm(io, true)).rejects.toThrow(
      'stack quiz was not created by private-fargate-api (its description is "Private Fargate API (sample)", without "(private-fargate-api)"); delete it with the tool that made it',
    );
    expect(seen.questions).toEqual([]);
  });

  it('asks for the stack name in a terminal and goes ahead only when it is typed', async () => {
    fake.scenario({ stack: { name: 'quiz', status: 'CREATE_COMPLETE', templateBody: ours() } });
    const wrong = terminal('y');
    expect(await confirm(wrong.io)).toBe(false);
    expect(wrong.seen.questions[0]).toMatch(
      /^Delete stack quiz \(CREATE_COMPLETE\) in us-east-1\?.*\nType the stack name to confirm: $/s,
    );
    expect(wrong.seen.stderr).toBe('Not deleted: "y" is not quiz.\n');

    const right = terminal(' quiz\n');
    expect(await confirm(right.io)).toBe(true);
  });

  it('needs --yes when no one can answer, and asks nothing with it', async () => {
    fake.scenario({ stack: { name: 'quiz', status: 'CREATE_COMPLETE', templateBody: ours() } });
    await expect(confirm(terminal().io)).rejects.toThrow(
      'not in a terminal, so no one can confirm: pass --yes to delete stack quiz',
    );
    const withYes = terminal('never asked');
    expect(await confirm(withYes.io, true)).toBe(true);
    expect(withYes.seen.questions).toEqual([]);
  });

  it('asks nothing when there is no stack to delete', async () => {
    const { io, seen } = terminal('quiz');
    expect(await confirmDelete(cfn, 'no-such-stack', 'quiz', 'us-east-1', false, io)).toBe(true);
    expect(seen.questions).toEqual([]);
  });

  it('never sends a delete itself', () => {
    expect(fake.calls.filter((call) => call.operation === 'DeleteStack')).toEqual([]);
  });
});
