// The security-relevant difference between the deployed and the rendered template, in words:
// IAM statements added or removed per role (actions on resources), who may assume each role,
// security group rules, and public exposure (internet-facing load balancers, public IPs, open CIDRs).
import type { Template, Value } from '../render/template.js';
import { listOf, props, referencedId, resourcesOfType, show } from './template-view.js';

export interface SecurityChange {
  /** Widens exposure: a rule open to the internet, a public IP, an internet-facing load balancer. */
  exposure: boolean;
  text: string;
}

/** `role → statement lines`: one line per effect, action and resource set (conditions appended). */
export function iamStatements(template: Template | undefined): Map<string, Set<string>> {
  const byRole = new Map<string, Set<string>>();
  const add = (role: string, line: string) => byRole.set(role, (byRole.get(role) ?? new Set()).add(line));
  for (const [id, role] of resourcesOfType(template, 'AWS::IAM::Role')) {
    byRole.set(id, byRole.get(id) ?? new Set());
    for (const policy of listOf(props(role).Policies) as Record<string, Value>[])
      for (const line of statementLines(policy.PolicyDocument)) add(id, line);
    for (const arn of listOf(props(role).ManagedPolicyArns)) add(id, `managed policy ${show(arn)}`);
    for (const statement of statements(props(role).AssumeRolePolicyDocument))
      add(
        id,
        `trusts ${principals(statement.Principal)} to ${listOf(statement.Action).map(show).join(', ')}${condition(statement)}`,
      );
  }
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [, policy] of resourcesOfType(template, type)) {
      for (const role of listOf(props(policy).Roles))
        for (const line of statementLines(props(policy).PolicyDocument)) add(referencedId(role) ?? show(role), line);
    }
  }
  return byRole;
}

const statements = (document: Value | undefined): Record<string, Value>[] =>
  listOf((document as Record<string, Value> | undefined)?.Statement) as Record<string, Value>[];

function statementLines(document: Value | undefined): string[] {
  return statements(document).flatMap((statement) => {
    const effect = show(statement.Effect) || 'Allow';
    const resources =
      listOf(statement.Resource ?? statement.NotResource)
        .map(show)
        .join(', ') || '*';
    const on = statement.NotResource ? `everything but ${resources}` : resources;
    return listOf(statement.Action ?? statement.NotAction).map(
      (action) =>
        `${effect} ${statement.NotAction ? `all but ${show(action)}` : show(action)} on ${on}${condition(statement)}`,
    );
  });
}

const condition = (statement: Record<string, Value>) =>
  statement.Condition ? ` when ${JSON.stringify(statement.Condition).replace(/"/g, '')}` : '';

function principals(principal: Value | undefined): string {
  if (principal === '*') return 'ANYONE (*)';
  if (!principal || typeof principal !== 'object' || Array.isArray(principal)) return show(principal);
  return Object.entries(principal)
    .map(([kind, value]) => `${kind} ${listOf(value).map(show).join(', ')}`)
    .join('; ');
}

/** Security group rules as `SG ingress tcp 8080 from X`, keyed by group. */
export function securityGroupRules(template: Template | undefined): Set<string> {
  const rules = new Set<string>();
  for (const [id, group] of resourcesOfType(template, 'AWS::EC2::SecurityGroup')) {
    for (const rule of listOf(props(group).SecurityGroupIngress) as Record<string, Value>[])
      rules.add(ruleText(id, 'ingress', rule));
    for (const rule of listOf(props(group).SecurityGroupEgress) as Record<string, Value>[])
      rules.add(ruleText(id, 'egress', rule));
  }
  for (const direction of ['ingress', 'egress'] as const) {
    const type = direction === 'ingress' ? 'AWS::EC2::SecurityGroupIngress' : 'AWS::EC2::SecurityGroupEgress';
    for (const [, rule] of resourcesOfType(template, type)) {
      const p = props(rule);
      rules.add(ruleText(referencedId(p.GroupId) ?? show(p.GroupId), direction, p));
    }
  }
  return rules;
}

function ruleText(group: string, direction: 'ingress' | 'egress', rule: Record<string, Value>): string {
  const protocol = show(rule.IpProtocol) === '-1' ? 'all traffic' : show(rule.IpProtocol);
  const [from, to] = [show(rule.FromPort), show(rule.ToPort)];
  const ports = protocol === 'all traffic' || from === '' ? '' : from === to ? ` ${from}` : ` ${from}-${to}`;
  const peer =
    rule.CidrIp ??
    rule.CidrIpv6 ??
    rule.SourceSecurityGroupId ??
    rule.DestinationSecurityGroupId ??
    rule.SourcePrefixListId ??
    rule.DestinationPrefixListId;
  const peerText =
    referencedId(peer) && !show(peer).includes('CidrBlock') ? `security group ${referencedId(peer)}` : show(peer);
  return `${group} ${direction} ${protocol}${ports} ${direction === 'ingress' ? 'from' : 'to'} ${peerText}`;
}

const OPEN = /\b(0\.0\.0\.0\/0|::\/0)$/;

/** Public exposure switches: internet-facing load balancers, tasks with public IPs, API endpoint types. */
export function exposureOf(template: Template | undefined): Set<string> {
  const exposure = new Set<string>();
  for (const [id, lb] of resourcesOfType(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer'))
    if (show(props(lb).Scheme) === 'internet-facing') exposure.add(`${id} load balancer is internet-facing`);
  for (const [id, service] of resourcesOfType(template, 'AWS::ECS::Service')) {
    const network = props(service).NetworkConfiguration as Record<string, Record<string, Value>> | undefined;
    if (show(network?.AwsvpcConfiguration?.AssignPublicIp) === 'ENABLED')
      exposure.add(`${id} tasks get public IP addresses`);
  }
  for (const [id, api] of resourcesOfType(template, 'AWS::ApiGateway::RestApi')) {
    const types = listOf((props(api).EndpointConfiguration as Record<string, Value> | undefined)?.Types).map(show);
    if (types.length && !types.includes('PRIVATE'))
      exposure.add(`${id} REST API is reachable from the internet (${types.join(', ')})`);
  }
  return exposure;
}

export function securityChanges(deployed: Template | undefined, rendered: Template): SecurityChange[] {
  const changes: SecurityChange[] = [];
  const [rolesBefore, rolesAfter] = [iamStatements(deployed), iamStatements(rendered)];
  for (const role of new Set([...rolesBefore.keys(), ...rolesAfter.keys()])) {
    const [before, after] = [rolesBefore.get(role), rolesAfter.get(role)];
    if (!before) {
      changes.push({ exposure: false, text: `+ role ${role} (new): ${[...after!].join('; ')}` });
      continue;
    }
    if (!after) {
      changes.push({ exposure: false, text: `- role ${role} (removed)` });
      continue;
    }
    for (const line of after)
      if (!before.has(line)) changes.push({ exposure: line.includes('ANYONE'), text: `+ ${role}: ${line}` });
    for (const line of before) if (!after.has(line)) changes.push({ exposure: false, text: `- ${role}: ${line}` });
  }
  const [rulesBefore, rulesAfter] = [securityGroupRules(deployed), securityGroupRules(rendered)];
  for (const rule of rulesAfter)
    if (!rulesBefore.has(rule))
      changes.push({ exposure: OPEN.test(rule), text: `+ ${rule}${OPEN.test(rule) ? ' — OPEN TO THE INTERNET' : ''}` });
  for (const rule of rulesBefore) if (!rulesAfter.has(rule)) changes.push({ exposure: false, text: `- ${rule}` });
  const [exposedBefore, exposedAfter] = [exposureOf(deployed), exposureOf(rendered)];
  // A regional REST API is this architecture's front door: on a first deploy that is no news.
  const expected = (line: string) => deployed === undefined && line.includes('REST API is reachable');
  for (const line of exposedAfter)
    if (!exposedBefore.has(line)) changes.push({ exposure: !expected(line), text: `+ ${line}` });
  for (const line of exposedBefore) if (!exposedAfter.has(line)) changes.push({ exposure: false, text: `- ${line}` });
  return changes;
}
