// The reviewer's view of a plan, gathered in one value: risks first, then what changes for the
// API's users, the security diff, the cost estimate against the deployed stack, and drift.
import type { ResourceChange } from '@aws-sdk/client-cloudformation';
import type { Template } from '../render/template.js';
import { apiChanges, type ApiChange, type ImageChange } from './api-diff.js';
import { estimateCost, type Estimate } from './cost/estimate.js';
import type { DriftResult } from './drift.js';
import { detectRisks, sortRisks, type Risk } from './risk.js';
import { securityChanges, type SecurityChange } from './security-diff.js';

export interface DeployedStack {
  template: Template;
  parameters: Record<string, string>;
  terminationProtection: boolean;
}

export interface ReviewInput {
  stackName: string;
  region: string;
  changes: ResourceChange[];
  rendered: Template;
  /** undefined on a first deploy (or when the deployed stack could not be read). */
  deployed?: DeployedStack;
  imageUri?: string;
  imageParameter: string;
  /** Commits of the deployed and the new image, and the repository to compare them in. */
  imageSource?: Pick<ImageChange, 'commits' | 'repositoryUrl'>;
  terminationProtectionRequested: boolean;
  drift?: DriftResult;
  /** Why the deployed stack could not be read (the review then compares with nothing). */
  deployedUnreadable?: string;
}

export interface PlanReview {
  stackName: string;
  firstDeploy: boolean;
  /** What the review compares against, when it is not the deployed stack. */
  baselineNote?: string;
  risks: Risk[];
  api: ApiChange[];
  security: SecurityChange[];
  cost: { before?: Estimate; after: Estimate };
  drift?: DriftResult;
  /** Resources the change set modifies or removes (a drifted one among them is overwritten). */
  touched: ReadonlySet<string>;
}

export function buildReview(input: ReviewInput): PlanReview {
  const { deployed, rendered } = input;
  const api = apiChanges(deployed?.template, rendered, {
    before: deployed?.parameters[input.imageParameter],
    after: input.imageUri,
    ...input.imageSource,
  });
  const security = securityChanges(deployed?.template, rendered);
  const risks = detectRisks({
    changes: input.changes,
    deployed: deployed?.template,
    rendered,
    terminationProtection: {
      now: deployed?.terminationProtection ?? false,
      requested: input.terminationProtectionRequested,
    },
  });
  // A route that became public, or a wider exposure, is as urgent as a replacement: it leads too.
  const exposed = [
    ...api
      .filter((c) => c.public)
      .map((c) => ({ severity: 'public' as const, logicalId: '', text: c.text.replace(/^[+~] /, '') })),
    ...security
      .filter((c) => c.exposure)
      .map((c) => ({ severity: 'public' as const, logicalId: '', text: c.text.replace(/^[+~] /, '') })),
  ];
  return {
    stackName: input.stackName,
    firstDeploy: deployed === undefined,
    baselineNote: input.deployedUnreadable
      ? `Compared with nothing: the deployed stack could not be read (${input.deployedUnreadable}); every route, role and cost line shows as new.`
      : undefined,
    risks: sortRisks([...risks, ...exposed]),
    api,
    security,
    cost: {
      before: deployed ? estimateCost(deployed.template, input.region) : undefined,
      after: estimateCost(rendered, input.region),
    },
    drift: input.drift,
    touched: new Set(
      input.changes.filter((c) => c.Action === 'Modify' || c.Action === 'Remove').map((c) => c.LogicalResourceId ?? ''),
    ),
  };
}
