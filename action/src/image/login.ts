// Registry login and logout for each builder. The password goes in on stdin, never as an
// argument (arguments are visible to every process on the machine and in debug logs).
import type { RegistryCredentials } from './ecr.js';
import type { BuilderName } from './builders.js';
import { run, runChecked, type Runner } from './process.js';

/** buildx uses the Docker CLI's credentials; buildah and podman their own auth file. */
const cli = (builder: BuilderName) => (builder === 'buildx' ? 'docker' : builder);

export function loginArgs(
  builder: BuilderName,
  credentials: Pick<RegistryCredentials, 'registry' | 'username'>,
  tlsVerify = true,
): string[] {
  const tls = builder === 'buildx' ? [] : [`--tls-verify=${tlsVerify}`];
  return ['login', ...tls, '--username', credentials.username, '--password-stdin', credentials.registry];
}

export async function login(
  builder: BuilderName,
  credentials: RegistryCredentials,
  runner: Runner = run,
  tlsVerify = true,
  /** The run's cancel or deadline stops a login that hangs (a registry that never answers). */
  signal?: AbortSignal,
): Promise<void> {
  await runChecked(
    runner,
    `${cli(builder)} login ${credentials.registry}`,
    cli(builder),
    loginArgs(builder, credentials, tlsVerify),
    {
      stdin: `${credentials.password}\n`,
      secrets: [credentials.password],
      signal,
    },
  );
}

/** For the action's post step: forget the registry credentials. Never fails the job. */
export async function logout(builder: BuilderName, registry: string, runner: Runner = run): Promise<boolean> {
  const result = await runner(cli(builder), ['logout', registry]).catch(() => undefined);
  return result?.exitCode === 0;
}
