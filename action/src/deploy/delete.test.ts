import { beforeEach, describe, expect, it } from '@jest/globals';
import { DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import type { MemoryReporter } from '../reporter.js';
import { deleteStack } from './delete.js';
import { eventLines, testWorld, type FakeCloudFormation, type testClients } from '../../test-support/deploy-world.js';

let aws: FakeCloudFormation;
let env: ReturnType<typeof testClients>;
let reporter: MemoryReporter;

beforeEach(() => {
  ({ aws, env, reporter } = testWorld());
});

describe('deleteStack', () => {
  it('deletes the stack with the execution role and follows it to DELETE_COMPLETE', async () => {
    aws.givenStack('quiz-pr-7', 'UPDATE_COMPLETE');
    const roleArn = 'arn:aws:iam::123456789012:role/cfn-exec';

    const result = await deleteStack(env.clients, { stackName: 'quiz-pr-7', timeoutMinutes: 10, roleArn }, reporter);

    expect(result).toEqual({ deleted: true, status: 'DELETE_COMPLETE' });
    expect(env.cfn.commandCalls(DeleteStackCommand)[0].args[0].input.RoleARN).toBe(roleArn);
    expect(eventLines(reporter)).toEqual(['DELETE_IN_PROGRESS quiz-pr-7', 'DELETE_COMPLETE quiz-pr-7']);
  });

  it('waits for an operation in progress before deleting', async () => {
    aws.givenStack('quiz-pr-7', 'UPDATE_IN_PROGRESS');
    aws.later('quiz-pr-7', 'UPDATE_COMPLETE', 20_000);

    const result = await deleteStack(env.clients, { stackName: 'quiz-pr-7', timeoutMinutes: 10 }, reporter);

    expect(reporter.text).toContain('Stack quiz-pr-7 is UPDATE_IN_PROGRESS: another operation is running.');
    expect(result).toEqual({ deleted: true, status: 'DELETE_COMPLETE' });
  });

  it('has nothing to do when the stack does not exist', async () => {
    const result = await deleteStack(env.clients, { stackName: 'quiz-pr-7', timeoutMinutes: 10 }, reporter);
    expect(result).toEqual({ deleted: false });
    expect(reporter.text).toContain('Stack quiz-pr-7 does not exist; nothing to delete.');
  });

  it('refuses to delete a stack with termination protection', async () => {
    aws.givenStack('quiz', 'UPDATE_COMPLETE', { protection: true });
    await expect(deleteStack(env.clients, { stackName: 'quiz', timeoutMinutes: 10 }, reporter)).rejects.toThrow(
      'Stack quiz has termination protection on: turn it off first',
    );
  });
});
