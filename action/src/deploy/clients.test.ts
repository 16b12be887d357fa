import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ListTasksCommand } from '@aws-sdk/client-ecs';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDeployClients } from './clients.js';

// A real loopback endpoint: proves the SDK's own AWS_ENDPOINT_URL* handling reaches it.
let server: Server;
let origin: string;
let requests: { url: string; host: string; target: string }[];
const saved = { ...process.env };

beforeEach(async () => {
  requests = [];
  server = createServer((request, response) => {
    requests.push({
      url: request.url ?? '',
      host: request.headers.host ?? '',
      target: String(request.headers['x-amz-target'] ?? ''),
    });
    request.resume();
    request.on('end', () => {
      if (request.url?.startsWith('/cloudformation')) {
        response
          .writeHead(200, { 'content-type': 'text/xml' })
          .end(
            '<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>quiz</StackName><StackStatus>UPDATE_COMPLETE</StackStatus></member></Stacks></DescribeStacksResult></DescribeStacksResponse>',
          );
      } else if (request.headers['x-amz-target']) {
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{"taskArns":[]}');
      } else {
        response.writeHead(200).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
});

afterEach(async () => {
  process.env = { ...saved };
  await new Promise((resolve) => server.close(resolve));
});

describe('createDeployClients', () => {
  it('sends each service to AWS_ENDPOINT_URL_<SERVICE>, else to AWS_ENDPOINT_URL, and counts the calls', async () => {
    process.env.AWS_ENDPOINT_URL = `${origin}/all`;
    process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = `${origin}/cloudformation`;
    const clients = createDeployClients({ region: 'eu-west-1' });

    const stacks = await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: 'quiz' }));
    await (await clients.ecs()).send(new ListTasksCommand({ cluster: 'c' }));
    await (await clients.s3()).send(new PutObjectCommand({ Bucket: 'templates', Key: 'quiz/t.json', Body: '{}' }));

    expect(stacks.Stacks?.[0].StackStatus).toBe('UPDATE_COMPLETE');
    expect(requests.map((r) => r.url.replace(/\?.*/, ''))).toEqual([
      '/cloudformation/',
      '/all/',
      '/all/templates/quiz/t.json',
    ]);
    expect(requests[1].target).toBe('AmazonEC2ContainerServiceV20141113.ListTasks');
    expect(clients.calls.operations).toBe(3);
    expect(clients.calls.requests).toBe(3);
    expect(Object.fromEntries(clients.calls.byOperation)).toEqual({ DescribeStacks: 1, ListTasks: 1, PutObject: 1 });
  });
});
