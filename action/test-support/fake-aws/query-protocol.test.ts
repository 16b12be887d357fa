import { describe, expect, it } from '@jest/globals';
import { parseQuery, queryError, toXml } from './query-protocol.js';

describe('parseQuery', () => {
  it('rebuilds the lists and structures the SDK flattens into `.member.N`', () => {
    const body = new URLSearchParams({
      Action: 'CreateChangeSet',
      'Parameters.member.1.ParameterKey': 'ImageUri',
      'Parameters.member.1.ParameterValue': 'repo@sha256:1',
      'Parameters.member.2.ParameterKey': 'Env',
      'Parameters.member.2.UsePreviousValue': 'true',
      'Capabilities.member.1': 'CAPABILITY_IAM',
      'Capabilities.member.2': 'CAPABILITY_NAMED_IAM',
      'Tags.member.1.Key': 'team',
      'Tags.member.1.Value': 'a&b=c',
    }).toString();
    expect(parseQuery(body)).toEqual({
      Action: 'CreateChangeSet',
      Parameters: [
        { ParameterKey: 'ImageUri', ParameterValue: 'repo@sha256:1' },
        { ParameterKey: 'Env', UsePreviousValue: 'true' },
      ],
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
      Tags: [{ Key: 'team', Value: 'a&b=c' }],
    });
  });
});

describe('toXml', () => {
  it('writes lists as <member> elements, times as ISO 8601, and escapes text', () => {
    expect(
      toXml('Stack', { Name: '<a & "b">', Tags: [{ Key: 'k' }], At: new Date(0), Skipped: undefined, On: true }),
    ).toBe(
      '<Stack><Name>&lt;a &amp; &quot;b&quot;&gt;</Name><Tags><member><Key>k</Key></member></Tags><At>1970-01-01T00:00:00.000Z</At><On>true</On></Stack>',
    );
  });

  it('writes errors the way query services do', () => {
    expect(queryError('Throttling', 'Rate exceeded', 'req-1')).toContain(
      '<Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>req-1</RequestId></ErrorResponse>',
    );
  });
});
