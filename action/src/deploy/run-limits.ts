// What stops a run: the step's deadline (timeout-minutes) and the runner's cancel both abort one
// AbortSignal that every AWS request, poll, builder and smoke test honours. Whoever sees the
// abort turns it into an error naming what it was still waiting for.
import { CancelledError, TimeoutError } from './wait.js';

/** The abort reason when timeout-minutes runs out. */
export class DeadlineReached extends Error {
  override readonly name = 'DeadlineReached';
  constructor(readonly timeoutMinutes: number) {
    super(`Timed out after ${minutesText(timeoutMinutes)} (timeout-minutes).`);
  }
}

export function minutesText(minutes: number): string {
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** The error for work stopped by the run's signal: a timeout or a cancel, naming what was pending. */
export function abortError(signal: AbortSignal, what: string): TimeoutError | CancelledError {
  const reason: unknown = signal.reason;
  if (reason instanceof DeadlineReached) {
    return new TimeoutError(
      `Timed out after ${minutesText(reason.timeoutMinutes)} (timeout-minutes) waiting for ${what}.`,
    );
  }
  return new CancelledError(`Cancelled while waiting for ${what}.`);
}

/** True for the error a request throws when an abort signal stopped it (SDK, fetch, child process). */
export function isAbort(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'AbortError' || name === 'CancelledError';
}

/** Aborts when the step's deadline passes (real time: it bounds the whole process). */
export function deadlineSignal(timeoutMinutes: number, onDeadline?: () => void): AbortSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new DeadlineReached(timeoutMinutes));
    onDeadline?.();
  }, timeoutMinutes * 60_000);
  // The deadline never keeps a finished run alive.
  timer.unref();
  return controller.signal;
}
