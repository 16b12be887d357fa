// Settings every AWS client of a run shares: a deadline per attempt (connect, whole request), the
// run's abort signal on every request, and a one-line hint on errors that mean "check your setup".
// A silent endpoint then costs one attempt timeout per try instead of the whole step, and a
// cancel or timeout-minutes stops the request in flight.
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { abortError, isAbort } from './run-limits.js';

export interface AttemptLimits {
  /** Longest wait for a TCP connection. */
  connectionTimeoutMs: number;
  /** Longest one attempt may take, connection to last byte. */
  requestTimeoutMs: number;
}

/** AWS answers control-plane calls in well under a second; 20 s leaves room for a big template upload. */
export const DEFAULT_ATTEMPT_LIMITS: AttemptLimits = { connectionTimeoutMs: 5_000, requestTimeoutMs: 20_000 };

const outliving = new WeakSet<AbortSignal>();

/**
 * A signal for a call that must still go out after the run's signal fired (CancelUpdateStack on
 * cancel): bounded by its own short deadline instead.
 */
export function outlivesRun(ms: number): AbortSignal {
  const signal = AbortSignal.timeout(ms);
  outliving.add(signal);
  return signal;
}

type HandlerArgs = Parameters<NodeHttpHandler['handle']>;

/** Passes the run's signal (with any per-call signal) to every request the SDK sends. */
class RunBoundHandler extends NodeHttpHandler {
  constructor(
    limits: AttemptLimits,
    private readonly signal?: AbortSignal,
  ) {
    super({
      connectionTimeout: limits.connectionTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      throwOnRequestTimeout: true,
    });
  }

  override handle(request: HandlerArgs[0], options: HandlerArgs[1] = {}): ReturnType<NodeHttpHandler['handle']> {
    const own = options.abortSignal as AbortSignal | undefined;
    const signals = [own, own && outliving.has(own) ? undefined : this.signal].filter((s) => s !== undefined);
    const abortSignal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    return super.handle(request, { ...options, abortSignal });
  }
}

export function requestHandler(signal?: AbortSignal, limits: AttemptLimits = DEFAULT_ATTEMPT_LIMITS): NodeHttpHandler {
  return new RunBoundHandler(limits, signal);
}

interface MiddlewareClient {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string }): void };
}

/**
 * Adds to a client: errors of a request the run's signal stopped name the call (timeout or
 * cancel), and setup errors (nothing listening, no or bad credentials, unknown host) get a hint.
 */
export function explainErrors<T extends MiddlewareClient>(
  client: T,
  service: string,
  region: string | undefined,
  signal?: AbortSignal,
): T {
  type Next = (args: unknown) => Promise<unknown>;
  client.middlewareStack.add(
    (next: Next, context: { commandName?: string }) => async (args: unknown) => {
      try {
        return await next(args);
      } catch (error) {
        const call = `${service} ${String(context.commandName ?? '').replace(/Command$/, '')}`.trim();
        if (signal?.aborted && isAbort(error)) throw abortError(signal, call);
        throw withHint(error, service, region);
      }
    },
    { step: 'initialize', name: 'explainErrors' },
  );
  return client;
}

const CREDENTIAL_ERRORS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'ExpiredToken',
  'ExpiredTokenException',
  'AuthFailure',
  'IncompleteSignature',
  'MissingAuthenticationToken',
]);

/** The endpoint a service's client talks to, as the SDK picks it. */
export function endpointOf(service: string, region: string | undefined): string {
  const variable = `AWS_ENDPOINT_URL_${service.toUpperCase().replace(/\W/g, '_')}`;
  return (
    process.env[variable] ??
    process.env.AWS_ENDPOINT_URL ??
    `https://${service.toLowerCase()}.${region ?? '<region>'}.amazonaws.com`
  );
}

/** The one-line hint for an error that means the setup is wrong, or undefined. */
export function setupHint(error: unknown, service: string, region: string | undefined): string | undefined {
  const e = error as { name?: string; code?: string; cause?: { code?: string } } | undefined;
  const code = e?.code ?? e?.cause?.code ?? '';
  const endpoint = endpointOf(service, region);
  const custom = endpoint.endsWith('.amazonaws.com')
    ? 'the network path (proxy, firewall)'
    : `AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_${service.toUpperCase()}`;
  if (code === 'ECONNREFUSED')
    return `Hint: nothing accepts connections at ${endpoint}; check ${custom} and the Region (${region ?? 'none set'}).`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return `Hint: the host of ${endpoint} does not resolve; check the Region (${region ?? 'none set'}) and any AWS_ENDPOINT_URL.`;
  if (e?.name === 'CredentialsProviderError')
    return `Hint: no AWS credentials were found; run aws-actions/configure-aws-credentials before this step (with permissions: id-token: write), or set AWS_PROFILE / AWS_ACCESS_KEY_ID.`;
  if (CREDENTIAL_ERRORS.has(e?.name ?? ''))
    return `Hint: AWS did not accept the credentials; run aws-actions/configure-aws-credentials before this step (permissions: id-token: write) and check that the Region ${region ?? '(none set)'} is enabled for the account.`;
  if (e?.name === 'TimeoutError')
    return `Hint: ${endpoint} did not answer in time; check ${custom} and the Region (${region ?? 'none set'}).`;
  return undefined;
}

function withHint(error: unknown, service: string, region: string | undefined): unknown {
  const hint = setupHint(error, service, region);
  if (!hint || !(error instanceof Error) || error.message.includes('Hint:')) return error;
  error.message = `${error.message || error.name}\n${hint}`;
  return error;
}
