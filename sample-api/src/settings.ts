// Every setting comes from the environment (twelve-factor): the task definition sets them, and
// the deploy config renderer injects TABLE_NAME when storage.dynamodb is on.
import { randomBytes } from 'node:crypto';
import { stagePrefixSetting } from './http/stage-prefix.js';
import type { LogLevel } from './log.js';

export interface Settings {
  port: number;
  store: 'memory' | 'dynamodb';
  tableName?: string;
  /** For DynamoDB Local or dynalite; unset on AWS. */
  dynamodbEndpoint?: string;
  quizmasterKey: string;
  /** True when no QUIZMASTER_KEY was given and one was made up for this local run. */
  generatedKey: boolean;
  logLevel: LogLevel;
  bodyLimit: string;
  /** How long in-flight requests get after SIGTERM; below ECS's 30 s stop timeout. */
  shutdownGraceSeconds: number;
  /** Deadline of one store call, retries included; past it the request is a 503. */
  storeTimeoutMs: number;
  /** How long /health waits for the store. */
  healthTimeoutMs: number;
  /** `/<stage>` API Gateway may put in front of paths (API_STAGE_PREFIX, set by the deploy). */
  stagePrefix?: string;
}

/** Reads and checks the settings; throws one error naming every problem. */
export function readSettings(env: NodeJS.ProcessEnv): Settings {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min && value <= max) return value;
    problems.push(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
    return fallback;
  };

  const store = (env.STORE || (env.TABLE_NAME ? 'dynamodb' : 'memory')) as Settings['store'];
  if (store !== 'memory' && store !== 'dynamodb') problems.push(`STORE must be memory or dynamodb, not "${store}"`);
  if (store === 'dynamodb' && !env.TABLE_NAME) problems.push('TABLE_NAME is required when STORE is dynamodb');
  const key = env.QUIZMASTER_KEY;
  if (key !== undefined && key.length < 16) problems.push('QUIZMASTER_KEY must be at least 16 characters');
  // A deployment must be given its key; a local run may make one up and print it.
  if (key === undefined && store === 'dynamodb') problems.push('QUIZMASTER_KEY is required when STORE is dynamodb');
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    problems.push(`LOG_LEVEL must be debug, info, warn or error, not "${logLevel}"`);
  const bodyLimit = env.BODY_LIMIT || '64kb';
  if (!/^\d+(b|kb|mb)$/i.test(bodyLimit)) problems.push(`BODY_LIMIT must look like 64kb, not "${bodyLimit}"`);

  const settings: Settings = {
    port: integer('PORT', 8080, 0, 65535),
    store,
    tableName: env.TABLE_NAME || undefined,
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT || undefined,
    quizmasterKey: key ?? randomBytes(18).toString('base64url'),
    generatedKey: key === undefined,
    logLevel,
    bodyLimit,
    shutdownGraceSeconds: integer('SHUTDOWN_GRACE_SECONDS', 25, 0, 120),
    storeTimeoutMs: integer('STORE_TIMEOUT_MS', 3000, 100, 60_000),
    healthTimeoutMs: integer('HEALTH_TIMEOUT_MS', 2000, 100, 60_000),
    stagePrefix: stagePrefixSetting(env.API_STAGE_PREFIX, problems),
  };
  if (problems.length > 0) throw new Error(`invalid settings:\n- ${problems.join('\n- ')}`);
  return settings;
}
