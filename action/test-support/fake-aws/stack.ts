// A stack as CloudFormation keeps it: status, resources, events, and the steps still to come.
// Time is scripted: an operation schedules its steps up front (or as earlier steps run) and
// `advance(now)` applies those that are due, so every answer reflects the moment it is given.
import { randomUUID } from 'node:crypto';
import { attribute, type Account } from './physical-ids.js';
import { evaluate, evaluateConditions, type EvaluationContext, type Json, type ParsedTemplate } from './template.js';

export interface StackEvent {
  StackId: string;
  EventId: string;
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  Timestamp: Date;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  ClientRequestToken?: string;
}

export interface ResourceState {
  logicalId: string;
  type: string;
  physicalId?: string;
  status: string;
  properties: Record<string, Json>;
  /** Fn::GetAtt values, fixed once computed so outputs stay stable. */
  attributes: Map<string, string>;
}

/** One thing done to the stack (execute, delete, cancel): when it started and when it ended. */
export interface StackOperation {
  kind: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONTINUE_ROLLBACK';
  startedAt: number;
  terminalAt?: number;
  finalStatus?: string;
  /** When a client first looked at the stack after it became terminal. */
  noticedAt?: number;
  /** The token the caller gave; the operation's events carry it. */
  clientRequestToken?: string;
}

/** What the stack was before an update, for rolling back. */
export interface StackSnapshot {
  template?: ParsedTemplate;
  templateBody?: string;
  parameters: Record<string, string>;
  tags: { Key: string; Value: string }[];
  resources: Map<string, ResourceState>;
}

interface Step {
  at: number;
  run: () => void;
}

export class Stack {
  readonly id: string;
  status = 'REVIEW_IN_PROGRESS';
  statusReason?: string;
  readonly createdAt: number;
  updatedAt?: number;
  deletedAt?: number;
  template?: ParsedTemplate;
  templateBody?: string;
  parameters: Record<string, string> = {};
  tags: { Key: string; Value: string }[] = [];
  capabilities: string[] = [];
  roleArn?: string;
  terminationProtection = false;
  changeSetId?: string;
  parentId?: string;
  resources = new Map<string, ResourceState>();
  readonly events: StackEvent[] = [];
  readonly operations: StackOperation[] = [];
  snapshot?: StackSnapshot;
  private pending: Step[] = [];

  constructor(
    readonly name: string,
    readonly account: Account,
    now: number,
    id?: string,
  ) {
    this.id = id ?? `arn:aws:cloudformation:${account.region}:${account.accountId}:stack/${name}/${randomUUID()}`;
    this.createdAt = now;
  }

  get live(): boolean {
    return this.deletedAt === undefined;
  }

  get operation(): StackOperation | undefined {
    return this.operations.at(-1);
  }

  schedule(at: number, run: () => void): void {
    this.pending.push({ at, run });
  }

  /** Drops every step still to come (a cancelled update). */
  clearPending(): void {
    this.pending = [];
  }

  /** Applies due steps in time order; a step may schedule more. Returns whether anything ran. */
  advance(now: number): boolean {
    let ran = false;
    for (;;) {
      const due = this.pending.filter((step) => step.at <= now).sort((a, b) => a.at - b.at)[0];
      if (!due) return ran;
      this.pending.splice(this.pending.indexOf(due), 1);
      due.run();
      ran = true;
    }
  }

  setStatus(at: number, status: string, reason?: string): void {
    this.status = status;
    this.statusReason = reason;
    if (!status.startsWith('CREATE_') && !status.startsWith('REVIEW_')) this.updatedAt = at;
    this.addEvent(at, this.name, 'AWS::CloudFormation::Stack', status, reason, this.id);
    const operation = this.operation;
    if (operation && !operation.terminalAt && !status.endsWith('_IN_PROGRESS')) {
      operation.terminalAt = at;
      operation.finalStatus = status;
    }
    if (status === 'DELETE_COMPLETE') this.deletedAt = at;
  }

  setResourceStatus(
    at: number,
    logicalId: string,
    type: string,
    status: string,
    reason?: string,
    physicalId?: string,
  ): void {
    let resource = this.resources.get(logicalId);
    if (!resource) {
      resource = { logicalId, type, status, properties: {}, attributes: new Map() };
      this.resources.set(logicalId, resource);
    }
    const physical = physicalId ?? resource.physicalId;
    // Deleting the old physical resource after a replacement leaves the logical resource alone.
    const oldPhysical =
      status.startsWith('DELETE_') &&
      physicalId !== undefined &&
      resource.physicalId !== undefined &&
      physicalId !== resource.physicalId;
    if (!oldPhysical && status === 'DELETE_COMPLETE') this.resources.delete(logicalId);
    else if (!oldPhysical) {
      resource.status = status;
      resource.physicalId = physical;
    }
    this.addEvent(at, logicalId, type, status, reason, physical ?? '');
  }

  private addEvent(
    at: number,
    logicalId: string,
    type: string,
    status: string,
    reason: string | undefined,
    physicalId: string,
  ): void {
    this.events.push({
      StackId: this.id,
      EventId: randomUUID(),
      StackName: this.name,
      LogicalResourceId: logicalId,
      PhysicalResourceId: physicalId,
      ResourceType: type,
      Timestamp: new Date(at),
      ResourceStatus: status,
      ResourceStatusReason: reason || undefined,
      ClientRequestToken: this.operation?.terminalAt === undefined ? this.operation?.clientRequestToken : undefined,
    });
  }

  /** How references resolve in this stack right now. */
  context(parameters = this.parameters, template = this.template): EvaluationContext {
    const pseudo = {
      'AWS::Region': this.account.region,
      'AWS::AccountId': this.account.accountId,
      'AWS::StackName': this.name,
      'AWS::StackId': this.id,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::NotificationARNs': '',
    };
    return {
      parameters,
      pseudo,
      conditions: template ? evaluateConditions(template, parameters, pseudo) : {},
      physicalId: (logicalId) => this.resources.get(logicalId)?.physicalId,
      attribute: (logicalId, name) => {
        const resource = this.resources.get(logicalId);
        if (!resource?.physicalId) return undefined;
        if (!resource.attributes.has(name)) {
          resource.attributes.set(
            name,
            attribute(resource.type, resource.physicalId, name, resource.properties, this.account),
          );
        }
        return resource.attributes.get(name);
      },
    };
  }

  /** Outputs as DescribeStacks shows them: only once the stack's resources exist. */
  outputs(): { OutputKey: string; OutputValue: string; Description?: string; ExportName?: string }[] {
    const settled =
      /^(CREATE_COMPLETE|UPDATE_|IMPORT_COMPLETE)/.test(this.status) || this.status === 'DELETE_IN_PROGRESS';
    if (!settled || !this.template?.Outputs) return [];
    const ctx = this.context();
    return Object.entries(this.template.Outputs)
      .filter(([, output]) => !output.Condition || ctx.conditions?.[output.Condition] !== false)
      .map(([key, output]) => ({
        OutputKey: key,
        OutputValue: String(evaluate(output.Value, ctx)),
        Description: output.Description,
        ExportName: output.Export ? String(evaluate(output.Export.Name, ctx)) : undefined,
      }));
  }

  takeSnapshot(): void {
    const resources = new Map([...this.resources].map(([id, r]) => [id, { ...r, attributes: new Map(r.attributes) }]));
    this.snapshot = {
      template: this.template,
      templateBody: this.templateBody,
      parameters: this.parameters,
      tags: this.tags,
      resources,
    };
  }
}
