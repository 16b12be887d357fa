// The image step end to end with real buildah and a real registry (the ECR API mocked in front of
// it): a first build and push, then redeploys of unchanged source, which must start no builder
// and finish in well under a second, then a one-byte change. Also the content hash of a context
// with a large ignored node_modules, and of the sample API.
// Run: npx tsx action/bench/image.bench.ts  (needs buildah, docker-registry, htpasswd)
import { ECRClient } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildahSandbox, pushBaseImage } from '../test-support/buildah-sandbox.js';
import { mockEcrOnRegistry, testEcrClient } from '../test-support/ecr-mock.js';
import { skipReason, startRegistry } from '../test-support/registry.js';
import { MemoryReporter } from '../src/reporter.js';
import { contentHash } from '../src/image/content-hash.js';
import { buildAndPushImage, type ImageRequest } from '../src/image/engine.js';
import { run, type Runner } from '../src/image/process.js';

const REDEPLOYS = 10;
const ms = (n: number) => `${n.toFixed(0)} ms`;

const reason = skipReason(['buildah', 'docker-registry', 'htpasswd']);
if (reason) {
  console.log(`image benchmark skipped: ${reason}`);
  process.exit(0);
}

const login = { host: '', user: 'AWS', password: randomBytes(16).toString('hex') };
const registry = await startRegistry(login);
login.host = registry.host;
const sandbox = await buildahSandbox();
mockEcrOnRegistry(mockClient(ECRClient), login);
const ecr = testEcrClient();

try {
  // An app of 300 source files, next to 3,000 node_modules files that .dockerignore leaves out.
  const context = path.join(sandbox.dir, 'app');
  for (let dir = 0; dir < 30; dir++) {
    await mkdir(path.join(context, 'src', `m${dir}`), { recursive: true });
    await mkdir(path.join(context, 'node_modules', `p${dir}`), { recursive: true });
    for (let file = 0; file < 10; file++)
      await writeFile(path.join(context, 'src', `m${dir}`, `f${file}.js`), randomBytes(1024).toString('hex'));
    for (let file = 0; file < 100; file++)
      await writeFile(path.join(context, 'node_modules', `p${dir}`, `f${file}.js`), `${dir}/${file}`);
  }
  await writeFile(path.join(context, '.dockerignore'), 'node_modules\n');
  await writeFile(path.join(context, 'Dockerfile'), `FROM ${await pushBaseImage(sandbox, login)}\nCOPY src /app/src\n`);

  const request: ImageRequest = {
    context,
    repository: 'bench-api',
    platform: 'linux/amd64',
    buildArgs: {},
    keepImages: 10,
    tlsVerify: false,
  };
  async function deploy(gitSha: string) {
    let started = 0;
    const runner: Runner = (command, args, options) => (started++, run(command, args, options));
    const start = performance.now();
    const result = await buildAndPushImage(ecr, { ...request, gitSha }, new MemoryReporter(), { runner });
    return { result, started, elapsed: performance.now() - start };
  }

  console.log(`image benchmark: buildah (vfs, chroot) + docker-registry on loopback, Node ${process.version}`);
  const first = await deploy('c0ffee1');
  console.log(
    `first build + push      ${ms(first.elapsed).padStart(8)}  (${first.started} commands started, built=${first.result.built})`,
  );

  const times: number[] = [];
  for (let i = 0; i < REDEPLOYS; i++) {
    const again = await deploy(`c0ffee${i + 2}`);
    if (again.result.built || again.started > 0)
      throw new Error(`an unchanged redeploy started ${again.started} commands`);
    times.push(again.elapsed);
  }
  times.sort((a, b) => a - b);
  console.log(
    `unchanged redeploy      ${ms(times[REDEPLOYS / 2]).padStart(8)}  median of ${REDEPLOYS}, max ${ms(times.at(-1)!)} (0 commands started; goal < 1000 ms)`,
  );

  await writeFile(path.join(context, 'src', 'm0', 'f0.js'), 'changed');
  const changed = await deploy('c0ffeef');
  console.log(
    `one-byte change rebuild ${ms(changed.elapsed).padStart(8)}  (${changed.started} commands started, built=${changed.result.built})`,
  );

  const hashOf = async (dir: string) => {
    const start = performance.now();
    await contentHash({
      context: dir,
      dockerfile: path.join(dir, 'Dockerfile'),
      buildArgs: {},
      platform: 'linux/amd64',
    });
    return performance.now() - start;
  };
  console.log(
    `content hash, app above ${ms(await hashOf(context)).padStart(8)}  (300 files hashed, node_modules skipped unread)`,
  );
  const sample = path.resolve('sample-api');
  if (existsSync(path.join(sample, 'Dockerfile')))
    console.log(`content hash, sample-api ${ms(await hashOf(sample)).padStart(7)}`);
} finally {
  await sandbox.restore();
  await registry.stop();
}
