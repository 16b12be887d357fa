// The access log tells what happened to each request, against each store: a request the client
// abandons, or that shutdown cuts, is logged as aborted, never with a status it did not send.
import { afterEach, describe, expect, test } from '@jest/globals';
import { request } from 'node:http';
import type { Logger } from './log.js';
import { startServer } from './server.js';
import { readSettings } from './settings.js';
import { startApp, type TestApp } from './testing/http.js';
import { startHeldStore, storeKinds, type TestStore } from './testing/stores.js';

interface Line {
  level: string;
  message: string;
  [field: string]: unknown;
}

/** A logger that keeps its lines, and can wait for one with a given message. */
function recorder() {
  const lines: Line[] = [];
  const waiting: { message: string; resolve: (line: Line) => void }[] = [];
  const logger: Logger = {
    log(level, message, fields) {
      const line = { level, message, ...fields };
      lines.push(line);
      for (const waiter of waiting.filter((w) => w.message === message)) waiter.resolve(line);
    },
  };
  const logged = (message: string) =>
    new Promise<Line>((resolve) => {
      const seen = lines.find((line) => line.message === message);
      if (seen) resolve(seen);
      else waiting.push({ message, resolve });
    });
  return { lines, logger, logged };
}

describe.each(storeKinds)('request logs with the %s store', (kind) => {
  let held: TestStore & { inFlight: Promise<void> };
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await held.close();
  });

  test('a request the client abandons is logged as aborted, without a status it never sent', async () => {
    held = await startHeldStore(kind);
    const { logger, logged } = recorder();
    app = await startApp({ store: held.store, logger, storeTimeoutMs: 30_000 });
    const controller = new AbortController();
    const abandoned = fetch(`${app.url}/quizzes/abcdefghij`, { signal: controller.signal }).catch(
      (error: Error) => error.name,
    );
    await held.inFlight;
    controller.abort();
    expect(await abandoned).toBe('AbortError');
    const line = await logged('request aborted');
    expect(line).toEqual({
      level: 'warn',
      message: 'request aborted',
      requestId: expect.any(String),
      method: 'GET',
      path: '/quizzes/abcdefghij',
      ms: expect.any(Number),
    });
  });

  test('a request cut at the shutdown deadline is logged before the server says it stopped', async () => {
    held = await startHeldStore(kind);
    const { lines, logger } = recorder();
    const settings = { ...readSettings({ PORT: '0' }), shutdownGraceSeconds: 0, storeTimeoutMs: 30_000 };
    const server = await startServer(settings, logger, held.store);
    const cut = new Promise<string>((resolve) =>
      request(`${server.url}/quizzes/abcdefghij`, { agent: false })
        .on('error', (error) => resolve(error.message))
        .end(),
    );
    await held.inFlight;
    await server.stop();
    expect(await cut).toBe('socket hang up');
    expect(lines.map((line) => line.message)).toEqual([
      'listening',
      'stopping',
      'shutdown deadline reached: cutting requests still in flight',
      'request aborted',
      'stopped',
    ]);
    const aborted = lines[3];
    expect(lines[2].requestIds).toEqual([aborted.requestId]);
    expect(aborted).not.toHaveProperty('status');
  });
});
