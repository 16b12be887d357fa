// The Registry HTTP API (v2) calls through which the fake ECR reflects a real registry: a tag's
// or digest's manifest, read or written with the basic-auth login ECR hands out.

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json', 'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.docker.distribution.manifest.v2+json',
];

export interface RegistryLogin {
  endpoint: string;
  username: string;
  password: string;
}

export interface RegistryManifest {
  digest: string;
  mediaType: string;
  body: string;
}

const authorization = ({ username, password }: RegistryLogin): string => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** The manifest `reference` (tag or digest) names, or undefined when the registry has none (or refuses the login). */
export async function readManifest(login: RegistryLogin, repository: string, reference: string): Promise<RegistryManifest | undefined> {
  const response = await fetch(`${login.endpoint}/v2/${repository}/manifests/${reference}`, {
    headers: { Accept: MANIFEST_TYPES.join(', '), Authorization: authorization(login) },
  });
  const body = await response.text();
  const digest = response.headers.get('docker-content-digest');
  if (!response.ok || !digest) return undefined;
  return { digest, mediaType: response.headers.get('content-type') ?? MANIFEST_TYPES[1], body };
}

/** Puts a manifest under a tag, as `docker push` of an existing image does. */
export async function writeManifest(login: RegistryLogin, repository: string, tag: string, manifest: Omit<RegistryManifest, 'digest'>): Promise<void> {
  const response = await fetch(`${login.endpoint}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT', headers: { 'Content-Type': manifest.mediaType, Authorization: authorization(login) }, body: manifest.body,
  });
  if (!response.ok) throw new Error(`registry refused the manifest for ${repository}:${tag}: HTTP ${response.status} ${await response.text()}`);
}
