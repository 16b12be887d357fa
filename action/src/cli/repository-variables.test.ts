import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setRepositoryVariables } from './repository-variables.js';

const variables = [{ name: 'AWS_REGION', value: 'eu-west-1', source: 'test' }];

describe('setting repository variables through the GitHub API', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((done) => server?.close(done) ?? done(undefined));
    server = undefined;
  });

  async function github(answer: (res: import('node:http').ServerResponse) => void): Promise<string> {
    server = createServer((_req, res) => answer(res));
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('gives up on a call at its deadline, naming it', async () => {
    const url = await github(() => undefined); // never answers
    await expect(setRepositoryVariables({ url, token: 't', timeoutMs: 50 }, 'acme/notes', variables)).rejects.toThrow(
      /GitHub API PATCH .*\/repos\/acme\/notes\/actions\/variables\/AWS_REGION: no answer in time/,
    );
  });

  it('stops when the run is cancelled', async () => {
    const url = await github(() => undefined);
    const cancel = new AbortController();
    const call = setRepositoryVariables({ url, token: 't', signal: cancel.signal }, 'acme/notes', variables);
    cancel.abort(new Error('interrupted'));
    await expect(call).rejects.toThrow(/GitHub API PATCH .*: cancelled/);
  });

  it('says which access the token lacks when GitHub refuses it', async () => {
    const url = await github((res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Resource not accessible by integration' }));
    });
    await expect(setRepositoryVariables({ url, token: 't' }, 'acme/notes', variables)).rejects.toThrow(
      /could not set AWS_REGION in acme\/notes: GitHub answered 403 Resource not accessible by integration \(the token needs write access/,
    );
  });
});
