import { beforeAll, describe, expect, it } from '@jest/globals';
import type { ResourceChange } from '@aws-sdk/client-cloudformation';
import { planEdit, sampleConfig, type CapturedPlan } from '../../test-support/plan-capture.js';
import { memoryDoubled, routeMadePublic, tableKeyChanged, twoNatGateways } from '../../test-support/sample-edits.js';
import { renderStack } from '../render/index.js';
import type { Template } from '../render/template.js';
import { reviewText } from './format.js';
import { detectRisks, RISK_LABEL } from './risk.js';

const lines = (plan: CapturedPlan) => plan.review.risks.map((r) => `${RISK_LABEL[r.severity]}: ${r.text}`);

describe('the risk list, on change sets the loopback CloudFormation computed for edits of the sample', () => {
  let tableKey: CapturedPlan, memory: CapturedPlan, publicRoute: CapturedPlan, nat: CapturedPlan;
  beforeAll(async () => {
    tableKey = await planEdit({ editTemplate: tableKeyChanged });
    memory = await planEdit({ config: memoryDoubled() });
    publicRoute = await planEdit({ config: routeMadePublic() });
    nat = await planEdit({ config: twoNatGateways() });
  });

  it('leads with data loss when a key change replaces the table, naming the property and the retained old table', () => {
    expect(lines(tableKey)).toEqual([
      'DATA LOSS: Table (AWS::DynamoDB::Table) is replaced because KeySchema changed: the new one starts without its items; the old one is kept (UpdateReplacePolicy: Retain) but the stack stops using it',
      'replace: TaskDefinition (AWS::ECS::TaskDefinition) may be replaced because TaskRoleArn changed and Table is replaced',
      'replace: ScalableTarget (AWS::ApplicationAutoScaling::ScalableTarget) may be replaced because ResourceId changed',
      'replace: ScalingPolicy (AWS::ApplicationAutoScaling::ScalingPolicy) may be replaced because ScalableTarget is replaced',
    ]);
    expect(reviewText(tableKey.review)).toMatch(/^Risks \(4\), most severe first:\n {2}DATA LOSS {2}Table/);
  });

  it('names the property that forces a replacement when memory is doubled', () => {
    expect(lines(memory)[0]).toBe(
      'replace: TaskDefinition (AWS::ECS::TaskDefinition) is replaced because Memory changed',
    );
    expect(lines(memory).some((line) => line.startsWith('DATA LOSS'))).toBe(false);
  });

  it('flags a route that became public, and leaves out the routine swap of API deployments', () => {
    expect(lines(publicRoute)).toEqual(['PUBLIC: GET /quizzes/{quizId}/teams: api-key → public — became PUBLIC']);
    expect(
      publicRoute.result.changes.some((c) => c.Action === 'Remove' && c.ResourceType === 'AWS::ApiGateway::Deployment'),
    ).toBe(true);
  });

  it('finds nothing to flag when a second NAT gateway is only added', () => {
    expect(nat.result.changes.filter((c) => c.Action === 'Add').map((c) => c.LogicalResourceId)).toEqual(
      expect.arrayContaining(['NatGateway2']),
    );
    expect(lines(nat)).toEqual([]);
  });
});

describe('detectRisks', () => {
  const rendered = renderStack(sampleConfig());
  const remove = (id: string, type: string): ResourceChange => ({
    Action: 'Remove',
    LogicalResourceId: id,
    ResourceType: type,
  });

  /** The template as a preview environment deploys it: the resource goes with the stack. */
  const withoutRetention = (template: Template, id: string): Template => {
    const copy = structuredClone(template);
    delete copy.Resources[id].DeletionPolicy;
    delete copy.Resources[id].UpdateReplacePolicy;
    return copy;
  };

  it('calls a removed log group data loss, and a removed retained table a resource leaving the stack', () => {
    const risks = detectRisks({
      changes: [
        remove('Table', 'AWS::DynamoDB::Table'),
        remove('LogGroup', 'AWS::Logs::LogGroup'),
        remove('Listener', 'AWS::ElasticLoadBalancingV2::Listener'),
      ],
      deployed: withoutRetention(rendered, 'LogGroup'),
      rendered: withoutRetention(rendered, 'LogGroup'),
    });
    expect(risks.map((r) => `${r.severity}: ${r.text}`)).toEqual([
      'data-loss: LogGroup (AWS::Logs::LogGroup) is deleted with its logs',
      'remove: Table (AWS::DynamoDB::Table) leaves the stack (kept in the account: DeletionPolicy Retain)',
      'remove: Listener (AWS::ElasticLoadBalancingV2::Listener) leaves the stack and is deleted',
    ]);
  });

  it('reports a deletion policy that stops protecting data, and termination protection being turned on', () => {
    const next = structuredClone(rendered);
    delete next.Resources.Table.DeletionPolicy;
    const risks = detectRisks({
      changes: [],
      deployed: rendered,
      rendered: next,
      terminationProtection: { now: false, requested: true },
    });
    expect(risks.map((r) => r.text)).toEqual([
      'Table (AWS::DynamoDB::Table) DeletionPolicy Retain → Delete: deleting or replacing it now loses its items',
      'Termination protection is turned on for the stack',
    ]);
  });
});
