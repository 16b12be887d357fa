// CloudFormation drift detection over the fake's stacks: DetectStackDrift starts a detection that
// completes after `drift.detectionMs` of scripted time; the scenario says which resources were
// changed by hand (`drift.resources`), and DescribeStackResourceDrifts reports them.
import { randomUUID } from 'node:crypto';
import type { CloudFormation } from './cloudformation.js';
import { validationError } from './errors.js';
import type { QueryValue, XmlValue } from './query-protocol.js';
import type { Stack } from './stack.js';

export interface DriftedResourceScript {
  logicalId: string;
  status?: 'MODIFIED' | 'DELETED';
  differences?: { path: string; expected: string; actual: string; type?: 'NOT_EQUAL' | 'ADD' | 'REMOVE' }[];
}

export interface DriftScript {
  /** Resources changed outside CloudFormation; none = in sync. */
  resources: DriftedResourceScript[];
  /** How long a detection takes (scripted time). */
  detectionMs: number;
  /** Detections fail with this reason. */
  failure?: string;
}

interface Detection {
  id: string;
  stack: Stack;
  readyAt: number;
  script: DriftScript;
}

const detections = new WeakMap<CloudFormation, Detection[]>();
const text = (value: QueryValue | undefined): string => (typeof value === 'string' ? value : '');
const SETTLED = /^(CREATE_COMPLETE|UPDATE_COMPLETE|UPDATE_ROLLBACK_COMPLETE|IMPORT_COMPLETE)$/;
export const DRIFT_ACTIONS = ['DetectStackDrift', 'DescribeStackDriftDetectionStatus', 'DescribeStackResourceDrifts'];

export function driftAction(
  cfn: CloudFormation,
  action: string,
  input: Record<string, QueryValue>,
  now: number,
  script: DriftScript | undefined,
): Record<string, XmlValue> {
  const list = detections.get(cfn) ?? [];
  detections.set(cfn, list);
  const given = script ?? { resources: [], detectionMs: 200 };
  const drifted = (detection: Detection) =>
    detection.script.resources.filter((r) => detection.stack.resources.has(r.logicalId));
  switch (action) {
    case 'DetectStackDrift': {
      const stack = cfn.requireStack(text(input.StackName));
      if (!SETTLED.test(stack.status))
        throw validationError(`Drift detection cannot be performed on stack [${stack.name}] in status ${stack.status}`);
      const detection = { id: randomUUID(), stack, readyAt: now + given.detectionMs, script: given };
      list.push(detection);
      return { StackDriftDetectionId: detection.id };
    }
    case 'DescribeStackDriftDetectionStatus': {
      const detection = list.find((d) => d.id === input.StackDriftDetectionId);
      if (!detection) throw validationError(`Drift detection ${text(input.StackDriftDetectionId)} does not exist`);
      const done = now >= detection.readyAt;
      const failed = done && detection.script.failure !== undefined;
      const count = drifted(detection).length;
      return {
        StackId: detection.stack.id,
        StackDriftDetectionId: detection.id,
        StackDriftStatus: !done ? undefined : failed ? 'UNKNOWN' : count ? 'DRIFTED' : 'IN_SYNC',
        DetectionStatus: !done ? 'DETECTION_IN_PROGRESS' : failed ? 'DETECTION_FAILED' : 'DETECTION_COMPLETE',
        DetectionStatusReason: failed ? detection.script.failure : undefined,
        DriftedStackResourceCount: done && !failed ? count : undefined,
        Timestamp: new Date(now),
      };
    }
    case 'DescribeStackResourceDrifts': {
      const stack = cfn.requireStack(text(input.StackName));
      const detection = list.filter((d) => d.stack === stack && now >= d.readyAt).at(-1);
      const filters = Array.isArray(input.StackResourceDriftStatusFilters)
        ? (input.StackResourceDriftStatusFilters as string[])
        : undefined;
      const drifts = (detection ? drifted(detection) : [])
        .map((r) => ({ ...r, status: r.status ?? 'MODIFIED' }))
        .filter((r) => !filters || filters.includes(r.status))
        .map((r) => ({
          StackId: stack.id,
          LogicalResourceId: r.logicalId,
          PhysicalResourceId: stack.resources.get(r.logicalId)?.physicalId,
          ResourceType: stack.resources.get(r.logicalId)?.type,
          StackResourceDriftStatus: r.status,
          PropertyDifferences: (r.differences ?? []).map((d) => ({
            PropertyPath: d.path,
            ExpectedValue: d.expected,
            ActualValue: d.actual,
            DifferenceType: d.type ?? 'NOT_EQUAL',
          })),
          Timestamp: new Date(detection!.readyAt),
        }));
      return { StackResourceDrifts: drifts };
    }
    default:
      throw new Error(`not a drift action: ${action}`);
  }
}
