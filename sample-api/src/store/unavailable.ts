// When the store cannot answer (down, throttled past retries, or silent past its deadline), the
// request is answered 503 with Retry-After: the client may try again, nothing is half done on
// our side that a retry would not finish.
import type { QuizStore } from './store.js';

export class StoreUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailable';
  }
}

/** How long a client should wait before trying again, in seconds. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * `store`, with every call given at most `ms` to settle: a store that accepts a request and never
 * answers costs a caller a 503 after `ms`, never a hung request. The DynamoDB store also aborts
 * its own calls (see dynamodb-client.ts); this holds for any store.
 */
export function withDeadline(store: QuizStore, ms: number): QuizStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        let timer: NodeJS.Timeout | undefined;
        const expired = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new StoreUnavailable(`the store did not answer ${String(property)} within ${ms} ms`)),
            ms,
          );
          // A deadline alone never keeps the process alive.
          timer.unref();
        });
        const call = Promise.resolve(value.apply(target, args) as unknown);
        return Promise.race([call, expired]).finally(() => clearTimeout(timer));
      };
    },
  });
}
