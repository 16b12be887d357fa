import { describe, expect, it } from '@jest/globals';
import { configSchema } from '../config/schema.js';
import { everythingInput, sampleInput } from '../../test-support/configs.js';
import { renderStack } from './index.js';

const roles = (input: Parameters<typeof configSchema.parse>[0]) =>
  Object.values(renderStack(configSchema.parse(input)).Resources).filter((r) => r.Type === 'AWS::IAM::Role');

describe('the permissions boundary of the app stack', () => {
  it.each([
    ['the sample', sampleInput],
    ['every option', everythingInput],
  ])("puts the bootstrap's boundary on every role of %s", (_, input) => {
    const template = renderStack(configSchema.parse(input));
    const found = roles(input);
    expect(found.length).toBeGreaterThanOrEqual(2);
    for (const role of found) {
      expect(role.Properties!.PermissionsBoundary).toEqual({
        'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/${PermissionsBoundaryPolicy}',
      });
    }
    expect(template.Parameters!.PermissionsBoundaryPolicy.Default).toBe(
      `private-fargate-api/${configSchema.parse(input).name}-boundary`,
    );
  });

  it('takes another policy from the config, or none', () => {
    const own = renderStack(
      configSchema.parse({ ...sampleInput, permissionsBoundary: 'arn:aws:iam::123456789012:policy/team/app-boundary' }),
    );
    expect(own.Parameters!.PermissionsBoundaryPolicy.Default).toBe('team/app-boundary');
    const none = renderStack(configSchema.parse({ ...sampleInput, permissionsBoundary: 'none' }));
    expect(none.Parameters!.PermissionsBoundaryPolicy).toBeUndefined();
    for (const role of roles({ ...sampleInput, permissionsBoundary: 'none' }))
      expect(role.Properties!.PermissionsBoundary).toBeUndefined();
  });

  it('refuses a boundary that is not an IAM policy ARN, naming the field', () => {
    const result = configSchema.safeParse({ ...sampleInput, permissionsBoundary: 'AdministratorAccess' });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(['permissionsBoundary']);
  });
});
