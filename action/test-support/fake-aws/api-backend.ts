// What API Gateway's private integration sends the app: the route's path, or, with the scenario's
// `smoke.stageInPath` switch, the stage in front of it (`/prod/health`), which AWS's page on REST
// API private integrations says happens unless the path is overridden. With `smoke.backendUrl` the
// request really goes to that app (the sample API in the end-to-end tests) and its answer comes back.

/** Longest a forwarded request may take, like API Gateway's 29 s integration timeout but shorter. */
const BACKEND_TIMEOUT_MS = 10_000;

/** `/health` or `/prod/health` (plus the query string), as the integration sends it. */
export function forwardedPath(
  stage: string,
  routePath: string,
  query: string | undefined,
  stageInPath: boolean,
): string {
  const path = `/${routePath.replace(/^\/+/, '')}`;
  return `${stageInPath ? `/${stage}${path}` : path}${query ? `?${query}` : ''}`;
}

export interface BackendAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

export async function forwardToBackend(
  backendUrl: string,
  method: string,
  path: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<BackendAnswer> {
  try {
    const response = await fetch(`${backendUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers,
      body: method === 'GET' || method === 'HEAD' || body.length === 0 ? undefined : new Uint8Array(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(BACKEND_TIMEOUT_MS),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
      body: Buffer.from(await response.arrayBuffer()),
    };
  } catch (error) {
    // What API Gateway answers when the integration cannot be reached or times out.
    const timedOut = (error as Error).name === 'TimeoutError';
    return {
      status: timedOut ? 504 : 502,
      contentType: 'application/json',
      body: Buffer.from(JSON.stringify({ message: timedOut ? 'Endpoint request timed out' : 'Internal server error' })),
    };
  }
}
