// A real OCI registry for tests: Debian's docker-registry (CNCF distribution) on a free loopback
// port, with htpasswd basic auth so a wrong password is refused, and its own temporary storage.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface RunningRegistry {
  /** `127.0.0.1:<port>`, plain HTTP. */
  host: string;
  stop(): Promise<void>;
}

/** Tools a test needs that are not on PATH. */
export function missingTools(tools: readonly string[]): string[] {
  return tools.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
}

/**
 * Why a real-tools suite cannot run here, or undefined when it can. With REQUIRE_REAL_TOOLS=1
 * (CI) a missing tool is an error instead of a reason to skip.
 */
export function skipReason(tools: readonly string[]): string | undefined {
  const missing = missingTools(tools);
  if (missing.length === 0) return undefined;
  const reason = `${missing.join(', ')} not installed (run .ci/setup-image-tools.sh)`;
  if (process.env.REQUIRE_REAL_TOOLS === '1') throw new Error(`REQUIRE_REAL_TOOLS=1 but ${reason}`);
  return reason;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function htpasswdLine(user: string, password: string): string {
  // -i reads the password from stdin: it never shows up in the process list.
  const result = spawnSync('htpasswd', ['-B', '-i', '-n', user], { input: password, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`htpasswd failed: ${result.stderr}`);
  return result.stdout.trim();
}

export interface RegistryOptions {
  user: string;
  password: string;
  /** Accept logins and pulls but refuse every push (HTTP 405), like a registry that says no. */
  readOnly?: boolean;
}

export async function startRegistry({ user, password, readOnly = false }: RegistryOptions): Promise<RunningRegistry> {
  const dir = await mkdtemp(path.join(tmpdir(), 'registry-'));
  await writeFile(path.join(dir, 'htpasswd'), `${htpasswdLine(user, password)}\n`);
  const host = `127.0.0.1:${await freePort()}`;
  await writeFile(
    path.join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: { level: warn, accesslog: { disabled: true } }',
      `storage: { filesystem: { rootdirectory: ${path.join(dir, 'data')} }, maintenance: { readonly: { enabled: ${readOnly} } } }`,
      `http: { addr: "${host}" }`,
      `auth: { htpasswd: { realm: test-registry, path: ${path.join(dir, 'htpasswd')} } }`,
    ].join('\n'),
  );
  const child = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) break;
    const status = await fetch(`http://${host}/v2/`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 401) return { host, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`docker-registry did not start on ${host}:\n${stderr}`);
}

export interface Manifest {
  digest: string;
  mediaType: string;
  /** The manifest's exact bytes (its digest is their sha256). */
  raw: string;
  body: { config?: { digest: string }; layers?: { digest: string; size: number }[] };
}

/** What a registry may answer for a tag or digest: an image manifest or an index, OCI or Docker. */
export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export type Login = { user: string; password: string };
const basicAuth = ({ user, password }: Login) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Reads a manifest back over the Registry HTTP API; undefined when the tag does not exist. */
export async function readManifest(
  host: string,
  repository: string,
  reference: string,
  login: Login,
): Promise<Manifest | undefined> {
  const response = await fetch(`http://${host}/v2/${repository}/manifests/${reference}`, {
    headers: {
      authorization: basicAuth(login),
      accept: MANIFEST_TYPES.join(', '),
    },
  });
  if (response.status === 404) return undefined;
  if (!response.ok)
    throw new Error(`GET manifest ${repository}:${reference}: HTTP ${response.status} ${await response.text()}`);
  const raw = await response.text();
  return {
    digest: response.headers.get('docker-content-digest')!,
    mediaType: response.headers.get('content-type')!,
    raw,
    body: JSON.parse(raw) as Manifest['body'],
  };
}

/** Puts a manifest under a tag (what ECR's PutImage does). */
export async function putManifest(
  host: string,
  repository: string,
  tag: string,
  manifest: Pick<Manifest, 'raw' | 'mediaType'>,
  login: Login,
): Promise<void> {
  const response = await fetch(`http://${host}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    headers: { authorization: basicAuth(login), 'content-type': manifest.mediaType },
    body: manifest.raw,
  });
  if (!response.ok)
    throw new Error(`PUT manifest ${repository}:${tag}: HTTP ${response.status} ${await response.text()}`);
}
