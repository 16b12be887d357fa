// Errors worth another try once the SDK's own retries are spent: AWS (or the path to it) failed
// for a moment, and the same call later will likely succeed. Every call the engine makes is safe
// to repeat (reads, or writes carrying a client token).

const TRANSIENT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'InternalFailure']);
const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

interface SdkError {
  name?: string;
  message?: string;
  code?: string;
  cause?: { code?: string; message?: string };
  $metadata?: { httpStatusCode?: number };
}

/** A 5xx, a per-attempt timeout, a connection reset mid-answer, or an answer cut short. */
export function isTransient(error: unknown): boolean {
  const e = (error ?? {}) as SdkError;
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (status >= 500) return true;
  if (TRANSIENT_NAMES.has(e.name ?? '')) return true;
  if (TRANSIENT_CODES.has(e.code ?? e.cause?.code ?? '')) return true;
  // The SDK wraps a response that ended early ("aborted") or does not parse (truncated XML/JSON):
  // whatever it said, error or not, is unknown, so asking again is the only way to learn it.
  const message = `${e.message ?? ''} ${e.cause?.message ?? ''}`;
  return /\baborted\b|socket hang up|Deserialization error|parse error/i.test(message);
}
