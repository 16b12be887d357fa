import { describe, expect, test } from '@jest/globals';
import { unavailableOr } from './dynamodb-client.js';
import { StoreUnavailable } from './unavailable.js';

const awsError = (name: string, fault: 'client' | 'server') =>
  Object.assign(new Error(`${name} happened`), { name, $fault: fault });

describe('unavailableOr', () => {
  test.each([
    awsError('ThrottlingException', 'client'),
    awsError('ProvisionedThroughputExceededException', 'client'),
    awsError('InternalServerError', 'server'),
    awsError('ResourceNotFoundException', 'client'),
    awsError('UnrecognizedClientException', 'client'),
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }),
    new Error('AWS SDK error wrapper for Error: read ECONNRESET'),
    Object.assign(new Error('a request has exceeded the configured 1500 ms requestTimeout'), { name: 'TimeoutError' }),
    Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }),
  ])('a store that cannot answer now: %s', (error) => {
    expect(unavailableOr(error)).toBeInstanceOf(StoreUnavailable);
  });

  test.each([awsError('ValidationException', 'client'), new TypeError('x is not a function')])(
    'a mistake in what was asked stays itself: %s',
    (error) => {
      expect(unavailableOr(error)).toBe(error);
    },
  );
});
