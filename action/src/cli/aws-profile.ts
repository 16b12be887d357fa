// The AWS account a stack command works in, resolved as the AWS CLI and CDK do: --profile or
// AWS_PROFILE names the profile; the Region is --aws-region, else AWS_REGION, else the profile's
// `region` in ~/.aws/config (the SDK's own resolution, not a parser of ours).
import {
  loadConfig,
  loadSharedConfigFiles,
  NODE_REGION_CONFIG_FILE_OPTIONS,
  NODE_REGION_CONFIG_OPTIONS,
} from '@smithy/core/config';
import { suggestKey } from '../config/problems.js';
import { UsageError } from './command.js';

/**
 * Makes `profile` the one every AWS client of this process uses (as AWS_PROFILE does) after
 * checking that ~/.aws/config or ~/.aws/credentials defines it.
 */
export async function useProfile(profile: string | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const name = profile || env.AWS_PROFILE;
  if (!name) return undefined;
  const { configFile, credentialsFile } = await loadSharedConfigFiles();
  const known = [...new Set([...Object.keys(configFile), ...Object.keys(credentialsFile)])].sort();
  if (!known.includes(name)) {
    const from = profile ? '--profile' : 'AWS_PROFILE';
    const guess = suggestKey(name, known);
    const listed = known.length ? `it defines ${known.join(', ')}` : 'it defines none';
    throw new UsageError(
      `unknown AWS profile "${name}" (${from}): not in ${env.AWS_CONFIG_FILE ?? '~/.aws/config'} or ${env.AWS_SHARED_CREDENTIALS_FILE ?? '~/.aws/credentials'}; ${guess ? `did you mean ${guess}?` : listed}`,
    );
  }
  env.AWS_PROFILE = name;
  return name;
}

/** The Region: the option (or AWS_REGION, already in it), else the profile's; a UsageError when neither has one. */
export async function resolveRegion(given: string, profile: string | undefined): Promise<string> {
  if (given) return given;
  const fromProfile = await loadConfig(NODE_REGION_CONFIG_OPTIONS, {
    ...NODE_REGION_CONFIG_FILE_OPTIONS,
    profile,
  })().then(
    (region) => region,
    () => undefined,
  );
  if (fromProfile) return fromProfile;
  const where = profile ? `, or add region to profile ${profile} in ~/.aws/config` : ' or AWS_PROFILE';
  throw new UsageError(`no AWS Region: pass --aws-region, set AWS_REGION${where}`);
}
