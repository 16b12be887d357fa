import { describe, expect, it } from '@jest/globals';
import { nextStep } from './stack-state.js';

const step = (status: string | undefined, deleteFailedStack = true) => nextStep('quiz', status, { deleteFailedStack });

describe('nextStep', () => {
  it.each([undefined, 'REVIEW_IN_PROGRESS', 'DELETE_COMPLETE'])('creates the stack when it is %s', (status) => {
    expect(step(status)).toEqual({ kind: 'create' });
  });

  it.each(['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_COMPLETE'])(
    'updates a stack in %s',
    (status) => {
      expect(step(status)).toEqual({ kind: 'update' });
    },
  );

  it.each([
    'CREATE_IN_PROGRESS',
    'UPDATE_IN_PROGRESS',
    'UPDATE_ROLLBACK_IN_PROGRESS',
    'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
    'DELETE_IN_PROGRESS',
  ])('waits for the operation of another run (%s)', (status) => {
    expect(step(status)).toEqual({ kind: 'wait' });
  });

  it.each(['ROLLBACK_COMPLETE', 'ROLLBACK_FAILED'])(
    'recreates a stack in %s, or says how when not allowed',
    (status) => {
      expect(step(status).kind).toBe('recreate');
      const refused = step(status, false);
      expect(refused.kind).toBe('fail');
      expect(refused.kind === 'fail' && refused.message).toContain('set delete-failed-stack: true');
    },
  );

  it('names ContinueUpdateRollback for UPDATE_ROLLBACK_FAILED', () => {
    const result = step('UPDATE_ROLLBACK_FAILED');
    expect(result.kind === 'fail' && result.message).toMatch(/ContinueUpdateRollback/);
  });
});
