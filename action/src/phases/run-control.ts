// One run's stop conditions, for the action and the CLI alike: timeout-minutes bounds the whole
// step, and SIGINT/SIGTERM (the runner's cancel, Ctrl-C) cancel it. Both abort the signal every
// phase honours; an update is then cancelled in CloudFormation (CancelUpdateStack). Whatever still
// hangs after a short grace is cut off: the process exits within 5 s of the cancel, and at once
// on a second signal.
import { CancelledError } from '../deploy/wait.js';
import { deadlineSignal } from '../deploy/run-limits.js';

type StopSignal = 'SIGINT' | 'SIGTERM';

/** The process-wide effects, injectable so tests need neither real signals nor a real exit. */
export interface RunHost {
  onSignal(signal: StopSignal, listener: () => void): void;
  exit(code: number): void;
  /** A real-time timer that does not keep a finished process alive. */
  later(ms: number, fn: () => void): void;
}

export const processHost: RunHost = {
  onSignal: (signal, listener) => process.on(signal, listener),
  exit: (code) => process.exit(code),
  later: (ms, fn) => setTimeout(fn, ms).unref(),
};

export interface RunControlOptions {
  timeoutMinutes: number;
  /** A notice for the log (the cancel was seen). */
  warn(message: string): void;
  /** Last words before a forced exit: they fail the step. */
  fail(message: string): void;
  host?: RunHost;
  /** Time between the abort and a forced exit (default 4.5 s: the process is gone within 5 s). */
  graceMs?: number;
}

const EXIT_CODES: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/** Starts the deadline and listens for SIGINT/SIGTERM; returns the run's signal. */
export function startRunControl(options: RunControlOptions): AbortSignal {
  const host = options.host ?? processHost;
  const graceMs = options.graceMs ?? 4500;
  let stopping = false;
  const cutOffLater = (why: string) => {
    if (stopping) return;
    stopping = true;
    host.later(graceMs, () => {
      options.fail(`${why} Work still pending after ${graceMs / 1000} s was cut off; exiting.`);
      host.exit(1);
    });
  };

  const deadline = deadlineSignal(options.timeoutMinutes, () =>
    cutOffLater(`Timed out after timeout-minutes (${options.timeoutMinutes}).`),
  );
  const cancel = new AbortController();
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    host.onSignal(name, () => {
      if (cancel.signal.aborted) {
        options.fail(`Received ${name} again: exiting now.`);
        host.exit(EXIT_CODES[name]);
        return;
      }
      options.warn(`Received ${name}: cancelling (a second signal exits at once).`);
      cancel.abort(new CancelledError(`cancelled by ${name}`));
      cutOffLater(`Cancelled by ${name}.`);
    });
  }
  return AbortSignal.any([cancel.signal, deadline]);
}
