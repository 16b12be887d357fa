// A loopback stand-in for the GitHub REST calls the project makes: on pull requests the action
// lists, creates and edits issue comments (so end-to-end tests can watch the plan comment being
// created once and then edited in place); `bootstrap` creates and updates repository variables.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  body: string;
  html_url: string;
}

export interface FakeGitHub {
  url: string;
  comments: FakeComment[];
  /** Repository variables by "owner/name" and then by variable name. */
  variables: Map<string, Map<string, string>>;
  /** The Authorization header of every request. */
  authorizations: string[];
  requests: string[];
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<{ body?: string; name?: string; value?: string }> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const comments: FakeComment[] = [];
  const requests: string[] = [];
  const variables = new Map<string, Map<string, string>>();
  const authorizations: string[] = [];
  let nextId = 1000;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(`${req.method} ${path}`);
    authorizations.push(req.headers.authorization ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const edit = path.match(/^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/);
    if (path.match(/^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/)) {
      if (req.method === 'GET') return send(200, comments);
      if (req.method === 'POST') {
        const comment = { id: nextId++, body: (await readJson(req)).body ?? '', html_url: '' };
        comment.html_url = `https://github.test/comments/${comment.id}`;
        comments.push(comment);
        return send(201, comment);
      }
    }
    if (edit && req.method === 'PATCH') {
      const comment = comments.find((c) => c.id === Number(edit[1]));
      if (!comment) return send(404, { message: 'Not Found' });
      comment.body = (await readJson(req)).body ?? '';
      return send(200, comment);
    }
    const variable = path.match(/^\/repos\/([^/]+\/[^/]+)\/actions\/variables(?:\/([^/]+))?$/);
    if (variable) {
      const [, repository, name] = variable;
      const inRepository = variables.get(repository) ?? new Map<string, string>();
      variables.set(repository, inRepository);
      if (req.method === 'PATCH' && name) {
        if (!inRepository.has(name)) return send(404, { message: 'Not Found' });
        inRepository.set(name, (await readJson(req)).value ?? '');
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'POST' && !name) {
        const body = await readJson(req);
        if (!body.name || inRepository.has(body.name)) return send(409, { message: 'Already exists' });
        inRepository.set(body.name, body.value ?? '');
        return send(201, {});
      }
    }
    send(404, { message: `no fake for ${req.method} ${path}` });
  };
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    comments,
    variables,
    authorizations,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
