// A loopback stand-in for the three GitHub REST calls the action makes on pull requests (list,
// create and edit issue comments), so end-to-end tests can watch the plan comment being
// created once and then edited in place.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  body: string;
  html_url: string;
}

export interface FakeGitHub {
  url: string;
  comments: FakeComment[];
  requests: string[];
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<{ body?: string }> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

export async function startFakeGitHub(): Promise<FakeGitHub> {
  const comments: FakeComment[] = [];
  const requests: string[] = [];
  let nextId = 1000;
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(`${req.method} ${path}`);
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
    send(404, { message: `no fake for ${req.method} ${path}` });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    comments,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
