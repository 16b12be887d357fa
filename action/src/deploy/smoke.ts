// After a deploy, call the API through API Gateway until it answers 2xx: a stack can be
// CREATE_COMPLETE while the route, the VPC link or the task still does not answer.
import type { Reporter } from '../reporter.js';
import { abortError, DeadlineReached, minutesText } from './run-limits.js';
import { systemClock, type Clock } from './wait.js';

export interface SmokeOptions {
  timeoutSeconds: number;
  signal?: AbortSignal;
  clock?: Clock;
  /** Longest single request before it counts as a failed attempt. */
  requestTimeoutMs?: number;
  /**
   * Asked once the API has answered 404 several times in a row (or at the deadline after a 404):
   * a reason turns the retries into an immediate failure that names it.
   */
  explainNotFound?: () => Promise<string | undefined>;
}

/** Consecutive 404s before the cause is looked for: one may be a task of the previous version. */
export const NOT_FOUND_CONFIRMATIONS = 3;

export interface SmokeResult {
  status: number;
  latencyMs: number;
  attempts: number;
}

/** `https://x/prod` + `/health` → `https://x/prod/health`, whatever slashes either side has. */
export function joinUrl(base: string, path: string): string {
  if (!path) return base;
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export async function smokeTest(url: string, options: SmokeOptions, reporter: Reporter): Promise<SmokeResult> {
  const clock = options.clock ?? systemClock;
  const deadline = clock.now() + options.timeoutSeconds * 1000;
  let delay = 500;
  let last = 'no answer yet';
  let notFound = 0;
  let explained = false;
  const explain = async () => {
    explained = true;
    const reason = await options.explainNotFound?.();
    if (reason)
      throw new Error(`Smoke test failed: GET ${url} answered ${last}, ${notFound} times in a row. ${reason}`);
  };
  for (let attempt = 1; ; attempt += 1) {
    const started = performance.now();
    try {
      const timeout = AbortSignal.timeout(options.requestTimeoutMs ?? 10_000);
      const response = await fetch(url, {
        signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
        redirect: 'follow',
      });
      const latencyMs = Math.round(performance.now() - started);
      await response.body?.cancel();
      if (response.ok) {
        reporter.info(`Smoke test: GET ${url} → ${response.status} in ${latencyMs} ms (attempt ${attempt})`);
        return { status: response.status, latencyMs, attempts: attempt };
      }
      last = `${response.status} ${response.statusText}`.trim();
      notFound = response.status === 404 ? notFound + 1 : 0;
    } catch (error) {
      if (options.signal?.aborted) throw stopped(options.signal, url, attempt, last);
      last = describeFetchError(error);
      notFound = 0;
    }
    const remaining = deadline - clock.now();
    if (!explained && notFound > 0 && (notFound >= NOT_FOUND_CONFIRMATIONS || remaining <= 0)) await explain();
    if (remaining <= 0) {
      throw new Error(
        `Smoke test failed: GET ${url} did not answer 2xx within ${options.timeoutSeconds} s (${attempt} attempts; last: ${last}).`,
      );
    }
    reporter.info(`Smoke test: GET ${url} → ${last} (attempt ${attempt}); trying again`);
    await clock.sleep(Math.min(delay, remaining), options.signal);
    delay = Math.min(delay * 1.5, 5000);
  }
}

/** The step's deadline or a cancel stopped the smoke test. */
function stopped(signal: AbortSignal, url: string, attempts: number, last: string): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof DeadlineReached) {
    return new Error(
      `Smoke test failed: GET ${url} did not answer 2xx before timeout-minutes (${minutesText(reason.timeoutMinutes)}) ran out (${attempts} attempts; last: ${last}).`,
    );
  }
  return abortError(signal, `the smoke test: GET ${url} (last: ${last})`);
}

function describeFetchError(error: unknown): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return 'no answer (request timed out)';
  return err.cause?.code ?? err.cause?.message ?? err.message;
}
