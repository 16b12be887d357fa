// Hand-made changes the deploy would overwrite: CloudFormation drift detection on the deployed
// stack, before the change set. Bounded by its own deadline and the run's abort signal.
import {
  DescribeStackDriftDetectionStatusCommand,
  DescribeStackResourceDriftsCommand,
  DetectStackDriftCommand,
  type CloudFormationClient,
  type StackResourceDrift,
} from '@aws-sdk/client-cloudformation';
import { CancelledError, type Waiter } from '../deploy/wait.js';

export type DriftMode = 'off' | 'warn' | 'fail';
export const DRIFT_MODES: readonly DriftMode[] = ['off', 'warn', 'fail'];

export interface DriftedResource {
  logicalId: string;
  type: string;
  status: string;
  /** `Properties.MemorySize: 512 → 1024 (NOT_EQUAL)` */
  differences: string[];
}

export type DriftResult =
  | { status: 'IN_SYNC' }
  | { status: 'DRIFTED'; resources: DriftedResource[] }
  /** Not checked (no stack yet, drift off) or detection failed: the reason. */
  | { status: 'NOT_CHECKED'; reason: string };

export interface DriftOptions {
  /** Paces the calls and bounds the detection (it usually takes seconds). */
  waiter: Waiter;
  signal?: AbortSignal;
}

export async function detectDrift(
  cfn: CloudFormationClient,
  stackName: string,
  options: DriftOptions,
): Promise<DriftResult> {
  try {
    return await detect(cfn, stackName, options);
  } catch (error) {
    // Aborted mid-request the SDK says "Request aborted"; say what was cancelled instead.
    if (options.signal?.aborted)
      throw new CancelledError(`Cancelled while waiting for drift detection of stack ${stackName}.`);
    throw error;
  }
}

async function detect(cfn: CloudFormationClient, stackName: string, options: DriftOptions): Promise<DriftResult> {
  const { waiter } = options;
  const abortSignal = options.signal;
  const { StackDriftDetectionId: id } = await waiter.call('drift detection to start', () =>
    cfn.send(new DetectStackDriftCommand({ StackName: stackName }), { abortSignal }),
  );
  if (!id) return { status: 'NOT_CHECKED', reason: 'CloudFormation returned no drift detection id' };
  const detection = await waiter.until(`drift detection of stack ${stackName}`, async () => {
    const status = await cfn.send(new DescribeStackDriftDetectionStatusCommand({ StackDriftDetectionId: id }), {
      abortSignal,
    });
    return status.DetectionStatus === 'DETECTION_IN_PROGRESS' ? undefined : status;
  });
  if (detection.DetectionStatus === 'DETECTION_FAILED' && detection.StackDriftStatus !== 'DRIFTED')
    return {
      status: 'NOT_CHECKED',
      reason: `drift detection failed: ${detection.DetectionStatusReason ?? 'no reason given'}`,
    };
  if (detection.StackDriftStatus !== 'DRIFTED') return { status: 'IN_SYNC' };
  const drifts: StackResourceDrift[] = [];
  let token: string | undefined;
  do {
    const page = await waiter.call('drifted resources', () =>
      cfn.send(
        new DescribeStackResourceDriftsCommand({
          StackName: stackName,
          StackResourceDriftStatusFilters: ['MODIFIED', 'DELETED'],
          NextToken: token,
        }),
        { abortSignal },
      ),
    );
    drifts.push(...(page.StackResourceDrifts ?? []));
    token = page.NextToken;
  } while (token);
  return {
    status: 'DRIFTED',
    resources: drifts.map((drift) => ({
      logicalId: drift.LogicalResourceId ?? '?',
      type: drift.ResourceType ?? '?',
      status: drift.StackResourceDriftStatus ?? '?',
      differences: (drift.PropertyDifferences ?? []).map(
        (d) =>
          `${d.PropertyPath ?? '?'}: ${d.ExpectedValue ?? '(none)'} → ${d.ActualValue ?? '(none)'} (${d.DifferenceType ?? '?'})`,
      ),
    })),
  };
}

/**
 * Lines a reviewer reads. With `touched` (the resources the change set modifies or removes), each
 * drifted resource says whether this deploy overwrites the hand-made change or leaves it.
 */
export function driftLines(result: DriftResult, touched?: ReadonlySet<string>): string[] {
  if (result.status === 'IN_SYNC') return ['In sync: no hand-made changes since the last deploy.'];
  if (result.status === 'NOT_CHECKED') return [`Not checked: ${result.reason}.`];
  const fate = (id: string) =>
    !touched ? '' : touched.has(id) ? ' — this deploy overwrites it' : ' — this deploy leaves it as it is';
  return result.resources.map(
    (r) =>
      `${r.logicalId} (${r.type}) ${r.status === 'DELETED' ? 'was deleted by hand' : `was changed by hand: ${r.differences.join('; ')}`}${fate(r.logicalId)}`,
  );
}
