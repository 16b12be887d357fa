// What a stack's current status means for a deploy. Pure: status in, next step out.

export type NextStep =
  | { kind: 'create' } // no stack, or one waiting for its first change set (REVIEW_IN_PROGRESS)
  | { kind: 'update' }
  | { kind: 'recreate'; reason: string } // a failed first create: it can only be deleted
  | { kind: 'wait' } // another operation is running
  | { kind: 'fail'; message: string };

const UPDATABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'UPDATE_FAILED', // only reachable with rollback disabled; an update is allowed from it
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
]);

/** A stack in one of these has no operation left to run. */
export function isTerminal(status: string): boolean {
  return !status.endsWith('_IN_PROGRESS');
}

export function isSuccess(status: string): boolean {
  return ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE', 'DELETE_COMPLETE'].includes(status);
}

export function nextStep(
  stackName: string,
  status: string | undefined,
  options: { deleteFailedStack: boolean },
): NextStep {
  if (status === undefined || status === 'DELETE_COMPLETE' || status === 'REVIEW_IN_PROGRESS') {
    return { kind: 'create' };
  }
  if (UPDATABLE.has(status)) return { kind: 'update' };
  if (status.endsWith('_IN_PROGRESS')) return { kind: 'wait' };
  if (status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED' || status === 'CREATE_FAILED') {
    const reason = `Stack ${stackName} is ${status}: its first create failed, and such a stack can only be deleted and created again.`;
    if (options.deleteFailedStack) return { kind: 'recreate', reason };
    return {
      kind: 'fail',
      message: `${reason} Delete it (aws cloudformation delete-stack --stack-name ${stackName}) or set delete-failed-stack: true to let the action do it.`,
    };
  }
  if (status === 'UPDATE_ROLLBACK_FAILED' || status === 'IMPORT_ROLLBACK_FAILED') {
    return {
      kind: 'fail',
      message:
        `Stack ${stackName} is ${status}: CloudFormation could not roll back its last update. ` +
        `Fix the resource that blocks the rollback, or skip it, with ContinueUpdateRollback ` +
        `(aws cloudformation continue-update-rollback --stack-name ${stackName} [--resources-to-skip …]), then deploy again.`,
    };
  }
  if (status === 'DELETE_FAILED') {
    return {
      kind: 'fail',
      message: `Stack ${stackName} is DELETE_FAILED: a delete left resources behind. Delete it again (mode: delete), retaining the resources that block it, before deploying.`,
    };
  }
  return {
    kind: 'fail',
    message: `Stack ${stackName} is ${status}, a status this action does not know how to deploy from.`,
  };
}
