// A JSON view of everything the fake knows, for assertions and for the bench (notice latency:
// when a change set became ready or a stack terminal, and when a client first saw it).
import type { CloudFormation } from './cloudformation.js';
import type { Ecr } from './ecr.js';
import type { Ecs } from './ecs.js';
import type { ScenarioOptions } from './scenario.js';
import type { CallRecord } from './server.js';
import type { StackEvent, StackOperation } from './stack.js';

export interface FakeAwsState {
  calls: CallRecord[];
  stacks: {
    name: string;
    id: string;
    live: boolean;
    status: string;
    statusReason?: string;
    parentId?: string;
    parameters: Record<string, string>;
    tags: { Key: string; Value: string }[];
    capabilities: string[];
    roleArn?: string;
    terminationProtection: boolean;
    templateBody?: string;
    outputs: Record<string, string>;
    resources: { logicalId: string; type: string; physicalId?: string; status: string }[];
    operations: StackOperation[];
    events: StackEvent[];
  }[];
  changeSets: {
    id: string;
    name: string;
    stackName: string;
    type: string;
    createdAt: number;
    readyAt: number;
    noticedAt?: number;
    status: string;
    executionStatus: string;
    statusReason?: string;
    changes: number;
    deleted: boolean;
    parameters: Record<string, string>;
    tags: { Key: string; Value: string }[];
    capabilities: string[];
    roleArn?: string;
  }[];
  repositories: {
    repositoryName: string;
    repositoryUri: string;
    imageTagMutability: string;
    scanOnPush: boolean;
    encryptionType: string;
    lifecyclePolicyText?: string;
    images: { imageDigest: string; imageTags: string[] }[];
  }[];
  services: { name: string; cluster: string; deployments: number }[];
  options: ScenarioOptions;
}

export function fakeAwsState(
  cfn: CloudFormation,
  ecr: Ecr,
  ecs: Ecs,
  calls: CallRecord[],
  options: ScenarioOptions,
  now: number,
): FakeAwsState {
  return {
    calls: [...calls],
    stacks: cfn.stacks.map((stack) => ({
      name: stack.name,
      id: stack.id,
      live: stack.live,
      status: stack.status,
      statusReason: stack.statusReason,
      parentId: stack.parentId,
      parameters: stack.parameters,
      tags: stack.tags,
      capabilities: stack.capabilities,
      roleArn: stack.roleArn,
      terminationProtection: stack.terminationProtection,
      templateBody: stack.templateBody,
      outputs: Object.fromEntries(stack.outputs().map((o) => [o.OutputKey, o.OutputValue])),
      resources: [...stack.resources.values()].map(({ logicalId, type, physicalId, status }) => ({
        logicalId,
        type,
        physicalId,
        status,
      })),
      operations: stack.operations,
      events: stack.events,
    })),
    changeSets: cfn.changeSets.map((cs) => ({
      id: cs.id,
      name: cs.name,
      stackName: cs.stack.name,
      type: cs.request.type,
      createdAt: cs.createdAt,
      readyAt: cs.readyAt,
      noticedAt: cs.noticedAt,
      status: cs.status(now),
      executionStatus: cs.executionStatus(now),
      statusReason: cs.isReady(now) ? cs.failure : undefined,
      changes: cs.changes.length,
      deleted: cs.deleted,
      parameters: cs.request.parameters,
      tags: cs.request.tags,
      capabilities: cs.request.capabilities,
      roleArn: cs.request.roleArn,
    })),
    repositories: [...ecr.repositories.values()].map((r) => ({
      repositoryName: r.repositoryName,
      repositoryUri: r.repositoryUri,
      imageTagMutability: r.imageTagMutability,
      scanOnPush: r.imageScanningConfiguration.scanOnPush,
      encryptionType: r.encryptionConfiguration.encryptionType,
      lifecyclePolicyText: r.lifecyclePolicyText,
      images: r.images.map(({ imageDigest, imageTags }) => ({ imageDigest, imageTags })),
    })),
    services: ecs.services.map((s) => ({ name: s.name, cluster: s.cluster, deployments: s.deployments.length })),
    options,
  };
}

/**
 * How long clients took to notice what the fake knew: a change set becoming ready, a stack's
 * operation reaching a terminal state (ms, one entry per event a client did notice). `since`
 * leaves out change sets and operations started before it.
 */
export function noticeLatencies(
  state: FakeAwsState,
  since = -Infinity,
): { changeSetReady: number[]; stackTerminal: number[] } {
  return {
    changeSetReady: state.changeSets
      .filter((cs) => cs.noticedAt !== undefined && cs.createdAt >= since)
      .map((cs) => cs.noticedAt! - cs.readyAt),
    stackTerminal: state.stacks
      .flatMap((stack) => stack.operations)
      .filter((op) => op.terminalAt !== undefined && op.noticedAt !== undefined && op.startedAt >= since)
      .map((op) => op.noticedAt! - op.terminalAt!),
  };
}
