import { afterEach, describe, expect, test } from '@jest/globals';
import { jsonLogger } from '../log.js';
import { MemoryStore } from '../store/memory.js';
import { startApp, type TestApp } from '../testing/http.js';
import { startDynalite } from '../testing/stores.js';

let app: TestApp;
afterEach(() => app.close());

describe('every response', () => {
  test('carries security headers and a request id, kept from the caller when it is sane', async () => {
    app = await startApp({ store: new MemoryStore() });
    const reply = await app.call('GET', '/health', { headers: { 'x-request-id': 'apigw-1234' } });
    expect(reply.headers.get('x-request-id')).toBe('apigw-1234');
    expect(reply.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; form-action 'self'; frame-ancestors 'none'/,
    );
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reply.headers.get('referrer-policy')).toBe('no-referrer');
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.headers.get('x-powered-by')).toBeNull();
    const made = await app.call('GET', '/health', { headers: { 'x-request-id': 'no spaces <allowed>' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('is logged as one JSON line with its request id, and never with the query string', async () => {
    const lines: string[] = [];
    app = await startApp({ store: new MemoryStore(), logger: jsonLogger('info', (line) => lines.push(line)) });
    await app.call('GET', '/quizzes/q1/rounds/1/form?token=secret-team-token', { headers: { 'x-request-id': 'r-1' } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toEqual({
      time: expect.any(String),
      level: 'info',
      message: 'request',
      requestId: 'r-1',
      method: 'GET',
      path: '/quizzes/q1/rounds/1/form',
      status: 404,
      ms: expect.any(Number),
    });
    expect(lines[0]).not.toContain('secret-team-token');
  });
});

describe('/health', () => {
  test('fails while the server stops, so the load balancer drains the task', async () => {
    app = await startApp({ store: new MemoryStore(), stopping: () => true });
    expect(await app.call('GET', '/health')).toMatchObject({ status: 503, body: { status: 'stopping' } });
  });

  test('checks the store: fails once DynamoDB cannot be reached', async () => {
    const dynamodb = await startDynalite();
    app = await startApp({ store: dynamodb.store });
    expect(await app.call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    await dynamodb.close();
    expect(await app.call('GET', '/health')).toMatchObject({
      status: 503,
      body: { status: 'unavailable', error: 'the store cannot be reached' },
    });
  });
});
