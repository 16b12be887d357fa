// Gives buildah a private storage and auth file for one test run (through the env variables
// buildah reads), so nothing lands in the machine's own image store or credentials, and makes
// the base image tests build FROM (there is no internet to pull one from).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run, runChecked } from '../src/image/process.js';
import type { RegistryLogin } from './ecr-mock.js';

export interface BuildahSandbox {
  dir: string;
  restore(): Promise<void>;
}

export async function buildahSandbox(): Promise<BuildahSandbox> {
  const dir = await mkdtemp(path.join(tmpdir(), 'buildah-sandbox-'));
  const saved = {
    CONTAINERS_STORAGE_CONF: process.env.CONTAINERS_STORAGE_CONF,
    REGISTRY_AUTH_FILE: process.env.REGISTRY_AUTH_FILE,
  };
  await writeFile(
    path.join(dir, 'storage.conf'),
    `[storage]\ndriver = "vfs"\ngraphroot = "${dir}/storage"\nrunroot = "${dir}/run"\n`,
  );
  process.env.CONTAINERS_STORAGE_CONF = path.join(dir, 'storage.conf');
  process.env.REGISTRY_AUTH_FILE = path.join(dir, 'auth.json');
  return {
    dir,
    async restore() {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function buildah(args: string[], stdin?: string): Promise<void> {
  await runChecked(run, `buildah ${args[0]}`, 'buildah', ['--storage-driver', 'vfs', ...args], { stdin });
}

/** Builds a one-file image FROM scratch and pushes it as `<host>/base:1`; returns that reference. */
export async function pushBaseImage(sandbox: BuildahSandbox, login: RegistryLogin): Promise<string> {
  const context = path.join(sandbox.dir, 'base');
  const reference = `${login.host}/base:1`;
  await mkdir(context, { recursive: true });
  await writeFile(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY base.txt /base.txt\n');
  await writeFile(path.join(context, 'base.txt'), 'base layer\n');
  await buildah(
    ['login', '--tls-verify=false', '--username', login.user, '--password-stdin', login.host],
    login.password,
  );
  try {
    await buildah(['build', '--isolation', 'chroot', '--quiet', '--tag', reference, context]);
    await buildah(['push', '--tls-verify=false', reference]);
  } finally {
    await buildah(['logout', login.host]);
  }
  return reference;
}
