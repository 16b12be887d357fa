// What deserves a human look before a deploy, most severe first: data that a replacement or
// deletion takes with it, every other replacement with the property that forces it, resources
// that leave the stack, and changed deletion policies or termination protection.
import type { ResourceChange } from '@aws-sdk/client-cloudformation';
import type { Template } from '../render/template.js';

/** Resource types that hold data (or a secret clients hold): replacing or deleting them loses it. */
const WHAT_IS_LOST: Record<string, string> = {
  'AWS::DynamoDB::Table': 'its items',
  'AWS::DynamoDB::GlobalTable': 'its items',
  'AWS::Logs::LogGroup': 'its logs',
  'AWS::S3::Bucket': 'its objects',
  'AWS::RDS::DBInstance': 'its database',
  'AWS::RDS::DBCluster': 'its database',
  'AWS::EFS::FileSystem': 'its files',
  'AWS::ECR::Repository': 'its images',
  'AWS::SecretsManager::Secret': 'its secret value',
  'AWS::KMS::Key': 'the key (and what it encrypted)',
  'AWS::SQS::Queue': 'its queued messages',
  'AWS::Kinesis::Stream': 'its records',
  'AWS::Cognito::UserPool': 'its users',
  'AWS::EC2::Volume': 'its data',
  'AWS::ApiGateway::ApiKey': 'the key value clients send',
};

export const isStateful = (type: string | undefined): boolean => type !== undefined && type in WHAT_IS_LOST;

/** Most severe first. */
export const SEVERITIES = ['data-loss', 'public', 'replace', 'remove', 'policy'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Risk {
  severity: Severity;
  logicalId: string;
  /** One line, as a reviewer reads it. */
  text: string;
}

export const RISK_LABEL: Record<Severity, string> = {
  'data-loss': 'DATA LOSS',
  public: 'PUBLIC',
  replace: 'replace',
  remove: 'remove',
  policy: 'policy',
};

export interface RiskInput {
  changes: ResourceChange[];
  /** The deployed template (undefined on a first deploy). */
  deployed?: Template;
  rendered: Template;
  /** Termination protection now, and whether this deploy turns it on. */
  terminationProtection?: { now: boolean; requested: boolean };
}

export function detectRisks({ changes, deployed, rendered, terminationProtection }: RiskInput): Risk[] {
  const risks: Risk[] = [];
  // Deployments are immutable snapshots of the routes: a new one replacing the old is routine.
  const newDeployment = changes.some((c) => c.Action === 'Add' && c.ResourceType === 'AWS::ApiGateway::Deployment');
  for (const change of changes) {
    if (newDeployment && change.Action === 'Remove' && change.ResourceType === 'AWS::ApiGateway::Deployment') continue;
    const id = change.LogicalResourceId ?? '?';
    const type = change.ResourceType ?? '?';
    const name = `${id} (${type})`;
    const before = deployed?.Resources[id];
    if (change.Action === 'Modify' && (change.Replacement === 'True' || change.Replacement === 'Conditional')) {
      const sure = change.Replacement === 'True';
      const why = forcedBy(change, sure);
      const verb = sure ? 'is replaced' : 'may be replaced';
      if (isStateful(type)) {
        const kept =
          before?.UpdateReplacePolicy === 'Retain' || before?.UpdateReplacePolicy === 'Snapshot'
            ? `; the old one is kept (UpdateReplacePolicy: ${before.UpdateReplacePolicy}) but the stack stops using it`
            : '';
        risks.push({
          severity: 'data-loss',
          logicalId: id,
          text: `${name} ${verb}${why}: the new one starts without ${WHAT_IS_LOST[type]}${kept}`,
        });
      } else risks.push({ severity: 'replace', logicalId: id, text: `${name} ${verb}${why}` });
    } else if (change.Action === 'Remove') {
      const policy = before?.DeletionPolicy;
      if (isStateful(type) && policy !== 'Retain' && policy !== 'RetainExceptOnCreate' && policy !== 'Snapshot')
        risks.push({ severity: 'data-loss', logicalId: id, text: `${name} is deleted with ${WHAT_IS_LOST[type]}` });
      else
        risks.push({
          severity: 'remove',
          logicalId: id,
          text: `${name} leaves the stack${policy && policy !== 'Delete' ? ` (kept in the account: DeletionPolicy ${policy})` : ' and is deleted'}`,
        });
    }
  }
  risks.push(...policyChanges(deployed, rendered));
  if (terminationProtection?.requested && !terminationProtection.now)
    risks.push({ severity: 'policy', logicalId: '', text: 'Termination protection is turned on for the stack' });
  return sortRisks(risks);
}

export function sortRisks(risks: Risk[]): Risk[] {
  return [...risks].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
}

/** ` because KeySchema changed`, or ` because Vpc is replaced`: what forces the replacement. */
function forcedBy(change: ResourceChange, sure: boolean): string {
  const properties = new Set<string>();
  const causes = new Set<string>();
  for (const { Target, ChangeSource, CausingEntity } of change.Details ?? []) {
    const forcing = sure ? Target?.RequiresRecreation === 'Always' : Target?.RequiresRecreation !== 'Never';
    if (!forcing || !Target?.Name) continue;
    // `Vpc.Id` names the resource before the dot.
    if (ChangeSource === 'ResourceReference' && CausingEntity) causes.add(CausingEntity.replace(/\..*/s, ''));
    else properties.add(Target.Name);
  }
  const parts = [
    ...(properties.size ? [`${[...properties].join(', ')} changed`] : []),
    ...(causes.size ? [`${[...causes].join(', ')} ${causes.size === 1 ? 'is' : 'are'} replaced`] : []),
  ];
  return parts.length ? ` because ${parts.join(' and ')}` : '';
}

/** DeletionPolicy / UpdateReplacePolicy changes on resources both templates keep. */
function policyChanges(deployed: Template | undefined, rendered: Template): Risk[] {
  if (!deployed) return [];
  const risks: Risk[] = [];
  for (const [id, now] of Object.entries(rendered.Resources)) {
    const before = deployed.Resources[id];
    if (!before) continue;
    for (const key of ['DeletionPolicy', 'UpdateReplacePolicy'] as const) {
      const [old, next] = [before[key] ?? 'Delete', now[key] ?? 'Delete'];
      if (old === next) continue;
      const exposed =
        next === 'Delete' && isStateful(now.Type)
          ? `: deleting or replacing it now loses ${WHAT_IS_LOST[now.Type]}`
          : '';
      risks.push({ severity: 'policy', logicalId: id, text: `${id} (${now.Type}) ${key} ${old} → ${next}${exposed}` });
    }
  }
  return risks;
}
