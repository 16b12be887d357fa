import { describe, expect, it } from '@jest/globals';
import { renderStack } from './index.js';
import { matchesEnvironment } from './retention.js';
import { configOf, ofType, sampleInput } from '../../test-support/configs.js';
import type { Template } from './template.js';

/** Logical id → [DeletionPolicy, UpdateReplacePolicy] of the table and every log group. */
const policiesOf = (template: Template) =>
  Object.fromEntries(
    ['AWS::DynamoDB::Table', 'AWS::Logs::LogGroup'].flatMap((type) =>
      Object.entries(ofType(template, type)).map(([id, r]) => [id, [r.DeletionPolicy, r.UpdateReplacePolicy]]),
    ),
  );

describe('retention', () => {
  const config = configOf(sampleInput, { retention: { deleteWithStack: ['pr-*', 'scratch'] } });

  it('keeps the table and every log group through a delete or a replacement by default', () => {
    const policies = policiesOf(renderStack(configOf(sampleInput), { environment: 'pr-42' }));
    expect(Object.keys(policies).sort()).toEqual([
      'ApiAccessLogGroup',
      'ApiExecutionLogGroup',
      'FlowLogGroup',
      'LogGroup',
      'Table',
    ]);
    for (const policy of Object.values(policies)) expect(policy).toEqual(['Retain', 'Retain']);
  });

  it('deletes them with the stack in the environments the config lists, and only there', () => {
    for (const environment of ['pr-42', 'scratch']) {
      const policies = Object.values(policiesOf(renderStack(config, { environment })));
      expect(policies).toHaveLength(5);
      for (const policy of policies) expect(policy).toEqual(['Delete', 'Delete']);
    }
    for (const environment of [undefined, 'production', 'scratch-2', 'xpr-1']) {
      for (const policy of Object.values(policiesOf(renderStack(config, { environment }))))
        expect(policy).toEqual(['Retain', 'Retain']);
    }
  });

  it('matches * against any characters and everything else literally', () => {
    expect(matchesEnvironment('pr-*', 'pr-')).toBe(true);
    expect(matchesEnvironment('*-preview', 'feature-x-preview')).toBe(true);
    expect(matchesEnvironment('pr-*', 'PR-1')).toBe(false);
    expect(matchesEnvironment('a-b', 'a-bc')).toBe(false);
  });
});
