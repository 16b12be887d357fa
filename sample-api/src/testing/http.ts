// The app on a loopback port, and a small client that speaks to it the way the tests need.
import type { AddressInfo } from 'node:net';
import { createApp, type AppOptions } from '../app.js';

export const QUIZMASTER_KEY = 'quizmaster-key-for-tests';

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text of anything else. */
  body: any;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded, like a phone's form. */
  form?: Record<string, string>;
  /** Sent as it is, for bodies no client would build. */
  raw?: string;
  quizmaster?: boolean;
  token?: string;
  headers?: Record<string, string>;
}

export interface TestApp {
  url: string;
  call(method: string, path: string, options?: CallOptions): Promise<Reply>;
  close(): Promise<void>;
}

export async function startApp(options: Omit<AppOptions, 'quizmasterKey'>): Promise<TestApp> {
  const server = createApp({ quizmasterKey: QUIZMASTER_KEY, ...options }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async call(method, path, { body, form, raw, quizmaster, token, headers = {} } = {}) {
      const response = await fetch(url + path, {
        method,
        redirect: 'manual',
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          ...(quizmaster ? { 'x-quizmaster-key': QUIZMASTER_KEY } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body:
          raw ?? (form ? new URLSearchParams(form).toString() : body !== undefined ? JSON.stringify(body) : undefined),
      });
      const text = await response.text();
      const json = response.headers.get('content-type')?.includes('json');
      return { status: response.status, headers: response.headers, body: json ? JSON.parse(text) : text };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
