// Stopping: requests in flight finish, new connections are refused, and the process started the
// way the container starts it exits cleanly on SIGTERM.
import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { silentLogger, type Logger } from './log.js';
import type { Quiz } from './model.js';
import { startServer } from './server.js';
import { readSettings } from './settings.js';
import { MemoryStore } from './store/memory.js';

/** A memory store whose getQuiz waits until the test lets it go: a request held in flight. */
class HeldStore extends MemoryStore {
  entered!: () => void;
  readonly inFlight = new Promise<void>((resolve) => (this.entered = resolve));
  release!: () => void;
  private readonly released = new Promise<void>((resolve) => (this.release = resolve));

  override async getQuiz(quizId: string): Promise<Quiz | undefined> {
    this.entered();
    await this.released;
    return super.getQuiz(quizId);
  }
}

/** A GET on a fresh connection, so a closed server shows as a refused connection. */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk)).on('end', () => resolve({ status: res.statusCode!, body }));
    })
      .on('error', reject)
      .end();
  });
}

describe('stopping', () => {
  test('lets a request in flight finish and takes no new connections', async () => {
    const lines: string[] = [];
    const logger: Logger = { log: (level, message) => lines.push(`${level} ${message}`) };
    const store = new HeldStore();
    const server = await startServer({ ...readSettings({ PORT: '0' }), shutdownGraceSeconds: 30 }, logger, store);

    const held = get(`${server.url}/quizzes/nosuchquiz`);
    await store.inFlight;
    const stopped = server.stop();
    await expect(get(`${server.url}/health`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    store.release();
    expect(await held).toMatchObject({ status: 404, body: '{"error":"there is no quiz nosuchquiz"}' });
    await stopped;
    expect(lines).toEqual(['info listening', 'info stopping', 'info request', 'info stopped']);
  });

  test('tells a keep-alive client to close the connection its answer came on', async () => {
    const store = new HeldStore();
    const server = await startServer(readSettings({ PORT: '0' }), silentLogger, store);
    const agent = new Agent({ keepAlive: true });
    const held = new Promise<string | undefined>((resolve, reject) => {
      request(`${server.url}/quizzes/nosuchquiz`, { agent }, (res) => resolve(res.resume().headers.connection))
        .on('error', reject)
        .end();
    });
    await store.inFlight;
    const stopped = server.stop();
    store.release();
    expect(await held).toBe('close');
    await stopped;
    agent.destroy();
  });

  test('refuses to start on a port that is taken, saying why', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as AddressInfo;
    try {
      await expect(startServer(readSettings({ PORT: String(port) }), silentLogger)).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
    } finally {
      taken.close();
    }
  });

  test('the server started as the container starts it exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: '0', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: Record<string, unknown>[] = [];
    const listening = new Promise<number>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        for (const line of chunk.split('\n').filter(Boolean)) {
          lines.push(JSON.parse(line));
          if (lines.at(-1)!.message === 'listening') resolve(lines.at(-1)!.port as number);
        }
      });
    });
    const port = await listening;
    expect(await get(`http://127.0.0.1:${port}/health`)).toEqual({ status: 200, body: '{"status":"ok"}' });
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(lines.map((line) => line.message)).toEqual([
      'no QUIZMASTER_KEY set: using a key made up for this run',
      'listening',
      'request',
      'signal received',
      'stopping',
      'stopped',
    ]);
  });
});
