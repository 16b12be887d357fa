// A fault-injecting HTTP proxy for the loopback AWS: point AWS_ENDPOINT_URL at it and it forwards
// each request to the fake, except that the current rules make chosen requests never answer,
// reset the connection halfway through the response, answer 5xx or throttle (a Throttling 400 or
// a 429), answer slowly, or cut the response body short.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault =
  | { kind: 'silent' }
  | { kind: 'reset' }
  | { kind: 'status'; status: number; code: string }
  | { kind: 'slow'; delayMs: number }
  /** A complete HTTP response whose body stops halfway (XML cut off). */
  | { kind: 'truncate' };

export interface ChaosRule {
  fault: Fault;
  /** Only requests for this operation (CloudFormation Action or JSON target), default all. */
  operation?: string;
  /** Skip this many matching requests first. */
  after?: number;
  /** Hit only every nth matching request (1 = each). */
  every?: number;
  /** Stop after this many hits (default: never). */
  times?: number;
}

export interface ChaosProxy {
  url: string;
  /** Replaces the rules (and their counters). */
  rules(rules: ChaosRule[]): void;
  /** Requests that received a fault, by kind. */
  readonly injected: Record<string, number>;
  close(): Promise<void>;
}

/** The AWS operation a request is for: the query protocol's Action, or the JSON protocol's target. */
function operationOf(request: IncomingMessage, body: Buffer): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.indexOf('.') + 1);
  return new URLSearchParams(body.toString('utf8')).get('Action') ?? '';
}

function errorBody(request: IncomingMessage, code: string): { type: string; body: string } {
  if (typeof request.headers['x-amz-target'] === 'string') {
    return { type: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: code, message: 'Injected fault' }) };
  }
  return {
    type: 'text/xml',
    body: `<ErrorResponse><Error><Type>${code === 'Throttling' ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>Injected fault</Message></Error><RequestId>chaos</RequestId></ErrorResponse>`,
  };
}

interface Upstream {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function forward(target: URL, request: IncomingMessage, body: Buffer): Promise<Upstream> {
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: request.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }),
        );
        response.on('error', reject);
      },
    );
    upstream.on('error', reject);
    upstream.end(body);
  });
}

export async function startChaosProxy(targetUrl: string, initial: ChaosRule[] = []): Promise<ChaosProxy> {
  const target = new URL(targetUrl);
  let rules: { rule: ChaosRule; seen: number; hits: number }[] = [];
  const injected: Record<string, number> = {};
  const sockets = new Set<Socket>();

  const pick = (operation: string): Fault | undefined => {
    for (const entry of rules) {
      const { rule } = entry;
      if (rule.operation && rule.operation !== operation) continue;
      entry.seen += 1;
      if (entry.seen <= (rule.after ?? 0)) continue;
      if ((entry.seen - (rule.after ?? 0) - 1) % (rule.every ?? 1) !== 0) continue;
      if (entry.hits >= (rule.times ?? Infinity)) continue;
      entry.hits += 1;
      return rule.fault;
    }
    return undefined;
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    // The control API and the deployed API's URL are the fake's own business.
    const fault = request.url?.startsWith('/__fake/') ? undefined : pick(operationOf(request, body));
    if (fault) injected[fault.kind] = (injected[fault.kind] ?? 0) + 1;
    if (fault?.kind === 'silent') return; // the socket stays open and nothing is ever written
    if (fault?.kind === 'status') {
      const { type, body: text } = errorBody(request, fault.code);
      response.writeHead(fault.status, { 'content-type': type, 'x-amzn-requestid': 'chaos' }).end(text);
      return;
    }
    const upstream = await forward(target, request, body);
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    const headers = { ...upstream.headers };
    delete headers['transfer-encoding'];
    const half = upstream.body.subarray(0, Math.floor(upstream.body.length / 2));
    if (fault?.kind === 'reset') {
      // The headers promise the whole body; half of it arrives, then the connection is reset.
      response.writeHead(upstream.status, { ...headers, 'content-length': String(upstream.body.length) });
      response.write(half, () => response.socket?.resetAndDestroy());
      return;
    }
    if (fault?.kind === 'truncate') {
      // A well-formed HTTP answer whose XML (or JSON) stops halfway.
      response.writeHead(upstream.status, { ...headers, 'content-length': String(half.length) }).end(half);
      return;
    }
    response.writeHead(upstream.status, headers).end(upstream.body);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(String(error.message));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy: ChaosProxy = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    rules: (next) => {
      rules = next.map((rule) => ({ rule, seen: 0, hits: 0 }));
    },
    injected,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  proxy.rules(initial);
  return proxy;
}
