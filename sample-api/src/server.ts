// Starts and stops the HTTP server. Stopping is graceful: /health starts failing, no new
// connections are taken, in-flight requests finish, and whatever still runs after the grace period
// is cut so the task stops before ECS kills it.
import { once } from 'node:events';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { Logger } from './log.js';
import type { Settings } from './settings.js';
import { dynamoClient } from './store/dynamodb-client.js';
import { DynamoStore } from './store/dynamodb.js';
import { MemoryStore } from './store/memory.js';
import type { QuizStore } from './store/store.js';

export interface RunningServer {
  url: string;
  /** Resolves once every connection has ended. */
  stop(): Promise<void>;
}

export function storeFor(settings: Settings): QuizStore {
  if (settings.store === 'memory') return new MemoryStore();
  const client = dynamoClient({ endpoint: settings.dynamodbEndpoint }, { callMs: settings.storeTimeoutMs });
  return new DynamoStore(client, settings.tableName!, settings.storeTimeoutMs);
}

export async function startServer(
  settings: Settings,
  logger: Logger,
  store: QuizStore = storeFor(settings),
): Promise<RunningServer> {
  let stopping = false;
  const app = createApp({
    store,
    quizmasterKey: settings.quizmasterKey,
    logger,
    bodyLimit: settings.bodyLimit,
    stopping: () => stopping,
    storeTimeoutMs: settings.storeTimeoutMs,
    healthTimeoutMs: settings.healthTimeoutMs,
    stagePrefix: settings.stagePrefix,
  });
  const server: Server = await new Promise((resolve, reject) => {
    // Express 5 hands a listen error (EADDRINUSE, EACCES) to this callback.
    const listening = app.listen(settings.port, (error) => (error ? reject(error) : resolve(listening)));
  });
  const { port } = server.address() as AddressInfo;
  logger.log('info', 'listening', { port, store: settings.store });

  // Once stopping, responses carry "Connection: close", so no client sends another request on a
  // keep-alive connection that is about to be closed under it (at the gateway, a 502).
  const answering = new Set<ServerResponse>();
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (stopping) res.setHeader('Connection', 'close');
    answering.add(res);
    res.once('close', () => answering.delete(res));
  });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= new Promise<void>((resolve) => {
      stopping = true;
      for (const res of answering) if (!res.headersSent) res.setHeader('Connection', 'close');
      logger.log('info', 'stopping', { graceSeconds: settings.shutdownGraceSeconds });
      const cut = setTimeout(() => {
        const requestIds = [...answering].map((res) => res.getHeader('x-request-id'));
        if (requestIds.length > 0)
          logger.log('warn', 'shutdown deadline reached: cutting requests still in flight', { requestIds });
        server.closeAllConnections();
      }, settings.shutdownGraceSeconds * 1000);
      // Keep-alive connections that are between requests would hold close() open: end them as they go idle.
      const idle = setInterval(() => server.closeIdleConnections(), 100);
      server.close(() => {
        clearTimeout(cut);
        clearInterval(idle);
        // Every connection is closed; once every response has seen it, each request is logged.
        void responsesClosed(answering).then(() => {
          logger.log('info', 'stopped');
          resolve();
        });
      });
      server.closeIdleConnections();
    });
    return stopped;
  };
  return { url: `http://127.0.0.1:${port}`, stop };
}

/** Resolves after every response has emitted 'close' and every listener of it has run. */
async function responsesClosed(responses: Set<ServerResponse>): Promise<void> {
  await Promise.all([...responses].map((res) => once(res, 'close')));
  await new Promise((resolve) => setImmediate(resolve));
}
