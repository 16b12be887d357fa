// The DynamoDB client with deadlines: a connection must open within a second, an attempt must
// answer within its timeout (the SDK only warns by default), and every store call is aborted
// once its whole deadline has passed, retries included. Errors that mean "the table cannot be
// reached right now" become StoreUnavailable (a 503); errors in what we asked stay as they are.
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { StoreUnavailable } from './unavailable.js';

export interface StoreDeadlines {
  /** Whole deadline of one store call, retries included. */
  callMs: number;
  connectMs?: number;
  /** One HTTP attempt. */
  attemptMs?: number;
  maxAttempts?: number;
}

export function dynamoClient(
  config: Pick<DynamoDBClientConfig, 'endpoint' | 'region' | 'credentials'>,
  { callMs, connectMs = Math.min(1000, callMs), attemptMs = Math.min(1500, callMs), maxAttempts = 3 }: StoreDeadlines,
): DynamoDBClient {
  return new DynamoDBClient({
    ...config,
    maxAttempts,
    requestHandler: { connectionTimeout: connectMs, requestTimeout: attemptMs, throwOnRequestTimeout: true },
  });
}

// Throttling, credentials and a missing table are all "not now" for the caller: the deployment
// or AWS must recover, and a retry later can succeed.
const UNAVAILABLE_NAMES = new Set([
  'AbortError',
  'TimeoutError',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ResourceNotFoundException',
  'UnrecognizedClientException',
  'AccessDeniedException',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'CredentialsProviderError',
]);
// Socket errors, by code or, when the SDK had to wrap an error it did not recognise, in the message.
const NETWORK_ERROR = /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b/;

/** StoreUnavailable for an error that says the table cannot be reached now, else the error itself. */
export function unavailableOr(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const { $fault, code } = error as { $fault?: string; code?: string };
  if ($fault === 'server' || UNAVAILABLE_NAMES.has(error.name) || NETWORK_ERROR.test(`${code} ${error.message}`))
    return new StoreUnavailable(`the DynamoDB table cannot be reached: ${error.name}: ${error.message}`, {
      cause: error,
    });
  return error;
}
