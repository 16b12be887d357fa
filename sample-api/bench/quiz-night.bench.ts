// Requests per second and latency of what a quiz night hammers: teams fetching their answer form
// (JSON and the phone's HTML page) and submitting answers. The compiled server (dist/main.js, as
// the container runs it, logging every request) runs in its own process on a loopback port with
// the memory store; autocannon runs fifty connections from this one, for a few seconds per
// scenario. Run with `npm run bench` (it builds first); BENCH_SECONDS changes the duration.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { fridayQuiz } from '../src/testing/quiz.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connections = 50;
// Far more teams than connections, and a team never has two submissions in flight (as a team at
// one table would not): every submission names the version it corrects, so none is refused as stale.
const teamCount = 500;
const key = 'bench-quizmaster-key';

const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, ['dist/main.js'], {
  env: { ...process.env, NODE_OPTIONS: '', PORT: String(port), STORE: 'memory', QUIZMASTER_KEY: key },
  stdio: ['ignore', 'ignore', 'inherit'],
});
// However this script ends, the server ends with it.
process.on('exit', () => server.kill('SIGTERM'));
await until(async () => (await fetch(`${url}/health`)).ok);

const post = async (
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ id: string; teamId: string; token: string }> => {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; teamId: string; token: string };
};
const quizId = (await post('/quizzes', fridayQuiz, { 'x-quizmaster-key': key })).id;
const teams: { teamId: string; token: string }[] = [];
for (let i = 0; i < teamCount; i++)
  teams.push(await post(`/quizzes/${quizId}/teams`, { name: `Team ${i}`, contact: 'bench@example.com', players: 4 }));
const tokens = teams.map((team) => team.token);

/** Team id -> the version of its answers, as the last reply said. */
const versions = new Map<string, number>();
/** Teams whose submission is on its way. */
const submitting = new Set<number>();
let turn = 0;
const nextTeam = () => turn++ % teamCount;
const formPath = `/quizzes/${quizId}/rounds/1/form`;

interface Result {
  scenario: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  succeeded: number;
  errors: number;
}

async function run(scenario: string, request: autocannon.Request): Promise<Result> {
  const result = await autocannon({ url, connections, duration: seconds, requests: [request] });
  return {
    scenario,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    succeeded: result['2xx'],
    errors: result.non2xx + result.errors + result.timeouts,
  };
}

const results = [
  await run('GET form (JSON)', {
    method: 'GET',
    setupRequest: (req) => ({ ...req, path: formPath, headers: { authorization: `Bearer ${tokens[nextTeam()]}` } }),
  }),
  await run('GET form (HTML page)', {
    method: 'GET',
    setupRequest: (req) => ({
      ...req,
      path: `${formPath}?token=${tokens[nextTeam()]}`,
      headers: { accept: 'text/html' },
    }),
  }),
  await run('PUT answers (JSON)', {
    method: 'PUT',
    setupRequest: (req) => {
      let index = nextTeam();
      for (let tries = 0; submitting.has(index); tries++) {
        if (tries > teamCount) throw new Error('every team has a submission in flight: replies are not being matched');
        index = nextTeam();
      }
      submitting.add(index);
      const team = teams[index];
      const body = JSON.stringify({
        version: versions.get(team.teamId) ?? 0,
        answers: { '1': 1980 + (turn % 20), '2': 'Jupiter', '3': `answer ${turn}` },
      });
      return {
        ...req,
        path: `/quizzes/${quizId}/rounds/1/answers`,
        headers: {
          authorization: `Bearer ${team.token}`,
          'content-type': 'application/json',
          'x-request-id': `team-${index}`,
        },
        body,
      };
    },
    onResponse: (status, body, _context, headers) => {
      // The app echoes the request id, which names the team (autocannon keeps header names as sent).
      const requestId = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'x-request-id')?.[1];
      submitting.delete(Number(String(requestId).slice('team-'.length)));
      if (status === 200) versions.set(JSON.parse(body).team.id, JSON.parse(body).version);
    },
  }),
];

// Nothing lost under load: the versions the server holds add up to the submissions autocannon saw
// accepted, plus at most one per connection still in flight when its clock stopped.
const marking = await fetch(`${url}/quizzes/${quizId}/rounds/1/answers`, { headers: { 'x-quizmaster-key': key } });
const stored = ((await marking.json()) as { teams: { version: number }[] }).teams.reduce(
  (total, team) => total + team.version,
  0,
);
const accepted = results[2].succeeded;

console.log(
  `\npub quiz API, memory store, loopback, ${connections} connections, ${seconds} s per scenario (Node ${process.version})\n`,
);
console.table(
  Object.fromEntries(
    results.map(({ scenario, ...figures }) => [
      scenario,
      {
        'req/s': figures.requestsPerSecond,
        'p50 ms': figures.p50,
        'p99 ms': figures.p99,
        requests: figures.requests,
        'non-2xx/errors': figures.errors,
      },
    ]),
  ),
);
console.log(
  `submissions answered 200: ${accepted}; stored: ${stored} (up to ${connections} more were in flight at the end)`,
);
const failed = results.filter((result) => result.errors > 0);
if (failed.length > 0 || stored < accepted || stored > accepted + connections) {
  console.error(
    failed.length > 0
      ? `requests failed in: ${failed.map((result) => result.scenario).join(', ')}`
      : 'submissions were lost',
  );
  process.exitCode = 1;
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function until(ready: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not start within 10 s');
}
