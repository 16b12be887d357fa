import { describe, expect, it } from '@jest/globals';
import { getInputs, stackNameFor } from './inputs.js';

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('action inputs', () => {
  it('gives the documented defaults when nothing is set', () => {
    const inputs = getInputs(reader({}));
    expect(inputs).toMatchObject({
      config: 'deploy.yml',
      mode: 'deploy',
      builder: 'auto',
      'timeout-minutes': 30,
      'fail-on-empty-changeset': false,
      'delete-failed-stack': true,
      'termination-protection': false,
      'pr-comment': true,
    });
  });

  it('takes the Region from the input, else from the environment configure-aws-credentials sets', () => {
    expect(getInputs(reader({ 'aws-region': 'eu-west-1' }), { AWS_REGION: 'us-east-1' })['aws-region']).toBe(
      'eu-west-1',
    );
    expect(getInputs(reader({}), { AWS_DEFAULT_REGION: 'eu-north-1' })['aws-region']).toBe('eu-north-1');
    expect(getInputs(reader({}), {})['aws-region']).toBe('');
  });

  it('reads Key=Value lists, one per line or comma-separated on one line', () => {
    const inputs = getInputs(reader({ 'parameter-overrides': 'A=1, B=x=y, C=', tags: 'team=quiz\n\nowner=ops' }));
    expect(inputs['parameter-overrides']).toEqual({ A: '1', B: 'x=y', C: '' });
    expect(inputs.tags).toEqual({ team: 'quiz', owner: 'ops' });
  });

  it('keeps commas inside values given one per line, for list parameters', () => {
    const inputs = getInputs(reader({ 'parameter-overrides': 'Subnets=subnet-11111111,subnet-22222222\nMode=fast' }));
    expect(inputs['parameter-overrides']).toEqual({ Subnets: 'subnet-11111111,subnet-22222222', Mode: 'fast' });
  });

  it('lists every bad input at once, each by name', () => {
    const read = reader({
      mode: 'apply',
      'timeout-minutes': 'soon',
      'pr-comment': 'maybe',
      tags: 'novalue',
      'smoke-path': 'health',
    });
    const message = (() => {
      try {
        getInputs(read);
      } catch (error) {
        return (error as Error).message;
      }
      return 'no error';
    })();
    expect(message).toContain('mode: "apply" is not one of deploy, plan, render, delete');
    expect(message).toContain('timeout-minutes: "soon" is not a positive number');
    expect(message).toContain('pr-comment: "maybe" is not true or false');
    expect(message).toContain('tags: "novalue" is not Key=Value');
    expect(message).toContain('smoke-path: "health" must start with /');
  });

  it('names the stack after the config, plus the environment', () => {
    expect(stackNameFor({ 'stack-name': '', environment: '' }, 'pubquiz')).toBe('pubquiz');
    expect(stackNameFor({ 'stack-name': '', environment: 'pr-42' }, 'pubquiz')).toBe('pubquiz-pr-42');
    expect(stackNameFor({ 'stack-name': 'quiz-live', environment: 'prod' }, 'pubquiz')).toBe('quiz-live');
  });
});
