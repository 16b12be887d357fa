// A change set and the life it goes through: CREATE_PENDING → CREATE_IN_PROGRESS → CREATE_COMPLETE
// (or FAILED) at its scripted ready time, then AVAILABLE → EXECUTE_IN_PROGRESS → EXECUTE_COMPLETE.
import { randomUUID } from 'node:crypto';
import type { ResourceChange } from './changes.js';
import type { Account } from './physical-ids.js';
import type { Stack, StackOperation } from './stack.js';
import type { ParsedTemplate } from './template.js';

export const NO_CHANGES_REASON =
  "The submitted information didn't contain changes. Submit different information to create a change set.";

export interface ChangeSetRequest {
  name: string;
  type: 'CREATE' | 'UPDATE';
  description?: string;
  template: ParsedTemplate;
  templateBody: string;
  parameters: Record<string, string>;
  tags: { Key: string; Value: string }[];
  capabilities: string[];
  roleArn?: string;
  /** CreateChangeSet's ClientToken: a retry carrying it gets this change set back. */
  clientToken?: string;
}

export class ChangeSet {
  readonly id: string;
  deleted = false;
  /** Set when executed: the stack operation it started. */
  operation?: StackOperation;
  /** When a client first saw it ready (for notice-latency figures). */
  noticedAt?: number;

  constructor(
    readonly request: ChangeSetRequest,
    readonly stack: Stack,
    readonly changes: ResourceChange[],
    readonly createdAt: number,
    readonly readyAt: number,
    /** Why it fails once it is evaluated (no changes, unknown types), if it does. */
    readonly failure: string | undefined,
    account: Account,
  ) {
    this.id = `arn:aws:cloudformation:${account.region}:${account.accountId}:changeSet/${request.name}/${randomUUID()}`;
  }

  get clientToken(): string | undefined {
    return this.request.clientToken;
  }

  get name(): string {
    return this.request.name;
  }

  status(now: number): string {
    if (now < this.createdAt + (this.readyAt - this.createdAt) / 3) return 'CREATE_PENDING';
    if (now < this.readyAt) return 'CREATE_IN_PROGRESS';
    return this.failure ? 'FAILED' : 'CREATE_COMPLETE';
  }

  executionStatus(now: number): string {
    if (this.operation) {
      if (!this.operation.terminalAt) return 'EXECUTE_IN_PROGRESS';
      return /^(CREATE|UPDATE)_COMPLETE$/.test(this.operation.finalStatus ?? '')
        ? 'EXECUTE_COMPLETE'
        : 'EXECUTE_FAILED';
    }
    if (this.status(now) !== 'CREATE_COMPLETE') return 'UNAVAILABLE';
    return this.stack.status.endsWith('_IN_PROGRESS') && this.stack.status !== 'REVIEW_IN_PROGRESS'
      ? 'UNAVAILABLE'
      : 'AVAILABLE';
  }

  isReady(now: number): boolean {
    return now >= this.readyAt;
  }
}
