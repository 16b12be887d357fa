import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryReporter } from '../reporter.js';
import { joinUrl, smokeTest } from './smoke.js';
import { fakeClock } from '../../test-support/deploy-world.js';

let server: Server;
let base: string;
/** Statuses the server answers with, in turn; the last one repeats. */
let answers: number[];
let paths: string[];

beforeEach(async () => {
  answers = [200];
  paths = [];
  server = createServer((request, response) => {
    paths.push(request.url ?? '');
    const status = answers.length > 1 ? answers.shift()! : answers[0];
    response.writeHead(status, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod/`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('smokeTest', () => {
  it('calls the API until it answers 2xx and reports status and latency', async () => {
    answers = [503, 502, 200];
    const reporter = new MemoryReporter();

    const result = await smokeTest(joinUrl(base, '/health'), { timeoutSeconds: 60, clock: fakeClock() }, reporter);

    expect(result).toMatchObject({ status: 200, attempts: 3 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(paths).toEqual(['/prod/health', '/prod/health', '/prod/health']);
    expect(reporter.lines[0]).toBe(`Smoke test: GET ${base}health → 503 Service Unavailable (attempt 1); trying again`);
    expect(reporter.lines.at(-1)).toMatch(
      new RegExp(`^Smoke test: GET ${base}health → 200 in \\d+ ms \\(attempt 3\\)$`),
    );
  });

  it('fails when the API never answers 2xx in time, with the last answer', async () => {
    answers = [404];
    await expect(
      smokeTest(`${base}health`, { timeoutSeconds: 20, clock: fakeClock() }, new MemoryReporter()),
    ).rejects.toThrow(
      new RegExp(
        `^Smoke test failed: GET ${base}health did not answer 2xx within 20 s \\(\\d+ attempts; last: 404 Not Found\\)\\.$`,
      ),
    );
  });

  it('names a connection that is refused', async () => {
    await new Promise((resolve) => server.close(resolve));
    server = createServer();
    await expect(
      smokeTest(`${base}health`, { timeoutSeconds: 1, clock: fakeClock() }, new MemoryReporter()),
    ).rejects.toThrow(/last: ECONNREFUSED/);
  });

  it('asks why after three 404s in a row, and fails at once with the reason it is given', async () => {
    answers = [503, 404, 404, 404, 200];
    const asked: number[] = [];
    const explainNotFound = () => {
      asked.push(paths.length);
      return Promise.resolve('The app is up but does not know the path.');
    };
    await expect(
      smokeTest(`${base}health`, { timeoutSeconds: 60, clock: fakeClock(), explainNotFound }, new MemoryReporter()),
    ).rejects.toThrow(
      `Smoke test failed: GET ${base}health answered 404 Not Found, 3 times in a row. The app is up but does not know the path.`,
    );
    expect(asked).toEqual([4]);
  });

  it('keeps trying when a 404 has no known cause, and asks only once', async () => {
    answers = [404, 404, 404, 404, 200];
    let asked = 0;
    const explainNotFound = () => {
      asked += 1;
      return Promise.resolve(undefined);
    };
    const result = await smokeTest(
      `${base}health`,
      { timeoutSeconds: 60, clock: fakeClock(), explainNotFound },
      new MemoryReporter(),
    );
    expect(result.attempts).toBe(5);
    expect(asked).toBe(1);
  });
});

describe('joinUrl', () => {
  it('joins an invoke URL and a path with exactly one slash', () => {
    expect(joinUrl('https://a.execute-api.eu-west-1.amazonaws.com/prod/', '/health')).toBe(
      'https://a.execute-api.eu-west-1.amazonaws.com/prod/health',
    );
    expect(joinUrl('https://a/prod', 'health')).toBe('https://a/prod/health');
    expect(joinUrl('https://a/prod/', '')).toBe('https://a/prod/');
  });
});
