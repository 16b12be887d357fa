// The loopback AWS: one HTTP server on 127.0.0.1 that answers CloudFormation (query/XML), ECS and
// ECR (JSON 1.1), a bit of S3 (templates by URL), the deployed API's URL, and a control API for tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { forwardedPath, forwardToBackend } from './api-backend.js';
import { refusal } from './api-routes.js';
import { cloudFormationAction } from './cloudformation-api.js';
import { CloudFormation } from './cloudformation.js';
import { Ecr } from './ecr.js';
import { Ecs } from './ecs.js';
import { elbv2Action, ELBV2_VERSION, ELBV2_XMLNS } from './elbv2.js';
import { AwsError } from './errors.js';
import { parseQuery, queryError, queryResponse } from './query-protocol.js';
import { RequestBudget, type RequestBudgetOptions } from './request-budget.js';
import { loadSpecification } from './replacement.js';
import { ObjectStore } from './s3.js';
import { seedStack } from './seed.js';
import { rolloutEndMs, rolloutPlan } from './ecs-rollout.js';
import { describeAlarms } from './cloudwatch.js';
import {
  ALARM_ROLLBACK_REASON,
  DEFAULT_FAILURE_REASON,
  defaultScenario,
  isPreset,
  mergeScenario,
  PRESETS,
  SERVICE_UNSTABLE_REASON,
  type PresetName,
  type ScenarioInput,
  type ScenarioOptions,
} from './scenario.js';
import type { Stack } from './stack.js';
import type { Json } from './template.js';
import { fakeAwsState, type FakeAwsState } from './state.js';

export interface CallRecord {
  service: 'cloudformation' | 'ecs' | 'ecr' | 'cloudwatch' | 's3' | 'api' | 'elbv2';
  operation: string;
  /** Epoch ms when the request arrived. */
  at: number;
  status: number;
  error?: string;
  stackName?: string;
  /** The request's fields (a template body shortened to its size). */
  input?: Record<string, unknown>;
}

export interface FakeAws {
  /** http://127.0.0.1:<port> — the endpoint for every service. */
  url: string;
  port: number;
  /** Current options (read-only view). */
  readonly options: ScenarioOptions;
  /** Applies a preset and/or options now (a `stack` re-seeds that stack). */
  scenario(input: ScenarioInput & { preset?: PresetName }): void;
  readonly calls: CallRecord[];
  /** Calls per operation, e.g. { DescribeStacks: 4, CreateChangeSet: 1 }. */
  /** Calls per operation (of one service, made at or after `since` on the fake's clock). */
  callCounts(service?: CallRecord['service'], since?: number): Record<string, number>;
  /** Registers an ECR image as pushed (creates the repository if needed). */
  addImage(
    repositoryName: string,
    image: { tags: string[]; digest?: string; manifest?: string; mediaType?: string },
  ): { imageDigest: string };
  /** Everything a test may assert on, JSON-serializable (also GET /__fake/state). */
  state(): FakeAwsState;
  readonly cloudFormation: CloudFormation;
  readonly ecs: Ecs;
  readonly ecr: Ecr;
  close(): Promise<void>;
}

export interface StartOptions extends ScenarioInput {
  port?: number;
  preset?: PresetName;
  /** The clock (epoch ms); tests of the state machine may drive it. */
  now?: () => number;
  /** CloudFormation's request budget shared by every client (off unless given; see request-budget.ts). */
  requestBudget?: Partial<RequestBudgetOptions>;
}

const ECS_TARGET = 'AmazonEC2ContainerServiceV20141113.';
const ECR_TARGET = 'AmazonEC2ContainerRegistry_V20150921.';
const CLOUDWATCH_TARGET = 'GraniteServiceVersion20100801.';

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFakeAws(start: StartOptions = {}): Promise<FakeAws> {
  loadSpecification();
  const now = start.now ?? Date.now;
  let options = defaultScenario();
  // The account and Region are fixed for the server's life.
  const account = { accountId: start.accountId ?? options.accountId, region: start.region ?? options.region };
  let url = '';
  const calls: CallRecord[] = [];
  const objects = new ObjectStore();
  let smokeRequests = 0;
  const budget = start.requestBudget ? new RequestBudget(start.requestBudget, now) : undefined;

  const ecr = new Ecr(account, () => options.ecr);
  const ecs = new Ecs(account);
  const cfn: CloudFormation = new CloudFormation(
    account,
    () => ({
      changeSetReadyMs: options.changeSetReadyMs,
      stepMs: options.resourceStepMs,
      failAt: options.failAt
        ? { resource: options.failAt.resource, reason: options.failAt.reason ?? DEFAULT_FAILURE_REASON }
        : undefined,
      unstableService:
        options.service.tasks === 'healthy'
          ? undefined
          : { failAfterMs: options.service.failAfterMs, reason: SERVICE_UNSTABLE_REASON },
      serviceRollout: (properties) => {
        if (options.rollout.durationMs <= 0) return undefined;
        const end = rolloutEndMs(rolloutPlan(properties), options.rollout);
        return { failAfterMs: end.afterMs, reason: end.rolledBack ? ALARM_ROLLBACK_REASON : undefined };
      },
    }),
    {
      onResourceCreated: (stack, logicalId, at) => onResourceCreated(stack, logicalId, at),
      onStackDeleted: (stack) => {
        for (const r of stack.resources.values())
          if (r.type === 'AWS::ECS::Cluster' && r.physicalId) ecs.removeCluster(r.physicalId, now());
      },
      readTemplateUrl: async (templateUrl) => objects.readTemplate(templateUrl),
    },
    now,
  );

  /** An ECS service resource started (or was updated): the fake ECS gets a deployment. */
  function onResourceCreated(stack: Stack, logicalId: string, at: number): void {
    for (const resource of stack.resources.values())
      if (resource.type === 'AWS::ECS::Cluster' && resource.physicalId) ecs.clusters.add(resource.physicalId);
    const resource = stack.resources.get(logicalId)!;
    if (resource.type !== 'AWS::ECS::Service' || !resource.physicalId) return;
    const taskDefinition = [...stack.resources.values()].find(
      (r) => r.physicalId === resource.properties.TaskDefinition,
    );
    const containers = (taskDefinition?.properties.ContainerDefinitions as Record<string, Json>[] | undefined) ?? [];
    ecs.deploy(
      resource.physicalId,
      resource.properties,
      String(containers[0]?.Image ?? ''),
      options.service,
      at,
      options.rollout,
    );
  }

  function applyScenario(input: ScenarioInput & { preset?: PresetName }): void {
    const { preset, ...rest } = input;
    if (preset && !isPreset(preset))
      throw new Error(`Unknown scenario "${String(preset)}". Known: ${Object.keys(PRESETS).join(', ')}`);
    const presetInput: ScenarioInput = preset ? PRESETS[preset] : {};
    options = mergeScenario(mergeScenario(options, presetInput), { ...rest, ...account });
    if (options.failAt === null) options.failAt = undefined;
    const stackInput = rest.stack ?? presetInput.stack;
    if (stackInput)
      seedStack(cfn, options, { ...presetInput.stack, ...rest.stack } as NonNullable<ScenarioOptions['stack']>, now());
  }

  function throttled(operation: string): boolean {
    const left = options.throttle[operation] ?? 0;
    if (left <= 0) return false;
    options.throttle[operation] = left - 1;
    return true;
  }

  async function handleCloudFormation(body: string, response: ServerResponse, at: number): Promise<void> {
    const input = parseQuery(body);
    const action = String(input.Action ?? '');
    const requestId = randomUUID();
    const { Action: _, Version: __, ...fields } = input;
    if (typeof fields.TemplateBody === 'string')
      fields.TemplateBody = `<${Buffer.byteLength(fields.TemplateBody)} bytes>`;
    const stackName = typeof input.StackName === 'string' ? input.StackName : undefined;
    const call: CallRecord = {
      service: 'cloudformation',
      operation: action,
      at,
      status: 200,
      stackName,
      input: fields,
    };
    let status = 200;
    let xml: string;
    try {
      if (throttled(action) || (budget && !budget.admit(action))) throw new AwsError('Throttling', 'Rate exceeded');
      const result = await cloudFormationAction(cfn, action, input, at, options, rewriteApiUrl);
      xml = queryResponse(action, result, requestId);
    } catch (error) {
      const known =
        error instanceof AwsError
          ? error
          : new AwsError('InternalFailure', String((error as Error).stack ?? error), 500);
      status = known.status;
      call.error = known.code;
      xml = queryError(known.code, known.message, requestId, status >= 500 ? 'Receiver' : 'Sender');
    }
    call.status = status;
    calls.push(call);
    response.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }).end(xml);
  }

  /** ELBv2 speaks the query protocol too, told apart from CloudFormation by its Version. */
  function handleElbv2(body: string, response: ServerResponse, at: number): void {
    const { Action: action, Version: _, ...input } = parseQuery(body);
    const operation = typeof action === 'string' ? action : '';
    const requestId = randomUUID();
    const call: CallRecord = { service: 'elbv2', operation, at, status: 200, input };
    let xml: string;
    try {
      if (throttled(operation)) throw new AwsError('Throttling', 'Rate exceeded');
      const targetGroupExists = (arn: string) =>
        cfn.stacks.some(
          (s) =>
            s.live &&
            [...s.resources.values()].some(
              (r) => r.type === 'AWS::ElasticLoadBalancingV2::TargetGroup' && r.physicalId === arn,
            ),
        );
      xml = queryResponse(operation, elbv2Action(ecs, targetGroupExists, operation, input, at), requestId, ELBV2_XMLNS);
    } catch (error) {
      const known = error instanceof AwsError ? error : new AwsError('InternalFailure', String(error), 500);
      call.status = known.status;
      call.error = known.code;
      xml = queryError(known.code, known.message, requestId, known.status >= 500 ? 'Receiver' : 'Sender', ELBV2_XMLNS);
    }
    calls.push(call);
    response.writeHead(call.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }).end(xml);
  }

  async function handleJson(target: string, body: string, response: ServerResponse, at: number): Promise<void> {
    const service = target.startsWith(ECS_TARGET) ? 'ecs' : target.startsWith(CLOUDWATCH_TARGET) ? 'cloudwatch' : 'ecr';
    const operation = target.slice(target.indexOf('.') + 1);
    const call: CallRecord = { service, operation, at, status: 200 };
    let status = 200;
    let payload: unknown;
    try {
      const input = JSON.parse(body || '{}') as Record<string, unknown>;
      call.input = input;
      if (throttled(operation)) throw new AwsError('ThrottlingException', 'Rate exceeded');
      payload =
        service === 'ecs'
          ? ecs.handle(operation, input, at)
          : service === 'cloudwatch'
            ? describeAlarms(operation, input, cfn, ecs, at)
            : await ecr.handle(operation, input, at);
    } catch (error) {
      const known =
        error instanceof AwsError
          ? error
          : new AwsError('ServerException', String((error as Error).stack ?? error), 500);
      status = known.status;
      call.error = known.code;
      payload = { __type: known.code, message: known.message };
    }
    call.status = status;
    calls.push(call);
    response
      .writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() })
      .end(JSON.stringify(payload));
  }

  /** CloudFormation outputs name execute-api hosts; here the API lives under /restapis/<id>/ on this server. */
  function rewriteApiUrl(value: string): string {
    return value.replace(
      /^https:\/\/([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com\//,
      (_, id: string) => `${url}/restapis/${id}/`,
    );
  }

  async function handleApi(
    request: IncomingMessage,
    requestBody: Buffer,
    response: ServerResponse,
    at: number,
  ): Promise<void> {
    const method = request.method!;
    const path = request.url ?? '/';
    const [pathOnly, query] = path.split('?');
    const [, , apiId, stage, ...rest] = pathOnly.split('/');
    const stack = cfn.stacks.find(
      (s) =>
        s.live &&
        [...s.resources.values()].some(
          (r) => r.type === 'AWS::ApiGateway::RestApi' && r.physicalId === apiId && r.status.endsWith('_COMPLETE'),
        ),
    );
    const refused =
      stack && stage ? refusal(stack, apiId, rest.join('/'), method) : { status: 403, message: 'Forbidden' };
    const sent = refused ? undefined : forwardedPath(stage, rest.join('/'), query, options.smoke.stageInPath ?? false);
    if (sent !== undefined && options.smoke.backendUrl) {
      const headers: Record<string, string> = {};
      for (const name of ['accept', 'content-type', 'x-request-id'])
        if (typeof request.headers[name] === 'string') headers[name] = request.headers[name];
      const answer = await forwardToBackend(options.smoke.backendUrl, method, sent, requestBody, headers);
      calls.push({ service: 'api', operation: path, at, status: answer.status, input: { forwardedPath: sent } });
      response
        .writeHead(answer.status, { 'content-type': answer.contentType, 'x-amzn-requestid': randomUUID() })
        .end(answer.body);
      return;
    }
    const statuses = [options.smoke.status].flat();
    const status = refused?.status ?? statuses[Math.min(smokeRequests++, statuses.length - 1)];
    await new Promise((resolve) => setTimeout(resolve, options.smoke.latencyMs));
    calls.push({ service: 'api', operation: path, at, status, ...(sent ? { input: { forwardedPath: sent } } : {}) });
    const body = refused
      ? JSON.stringify({ message: refused.message })
      : (options.smoke.body ?? JSON.stringify({ status: status < 400 ? 'ok' : 'unavailable' }));
    response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() }).end(body);
  }

  async function handleControl(method: string, path: string, body: string, response: ServerResponse): Promise<void> {
    let result: unknown = fake.state();
    if (method === 'POST' && path === '/__fake/scenario') fake.scenario(JSON.parse(body || '{}'));
    if (method === 'POST' && path === '/__fake/images') {
      const { repositoryName, tags, digest } = JSON.parse(body) as {
        repositoryName: string;
        tags: string[];
        digest?: string;
      };
      result = fake.addImage(repositoryName, { tags, digest });
    }
    if (method === 'POST' && path === '/__fake/calls/reset') calls.length = 0;
    if (method === 'POST' && path !== '/__fake/images') result = fake.state();
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
  }

  const server = createServer((request, response) => {
    void (async () => {
      const at = now();
      cfn.advance(at);
      const body = await readBody(request);
      const path = request.url ?? '/';
      const target = request.headers['x-amz-target'];
      if (path.startsWith('/__fake/')) return handleControl(request.method!, path, body.toString('utf8'), response);
      if (typeof target === 'string' && [ECS_TARGET, ECR_TARGET, CLOUDWATCH_TARGET].some((t) => target.startsWith(t)))
        return handleJson(target, body.toString('utf8'), response, at);
      if (path.startsWith('/restapis/')) return handleApi(request, body, response, at);
      if (
        request.method === 'POST' &&
        String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')
      ) {
        const form = body.toString('utf8');
        if (new URLSearchParams(form).get('Version') === ELBV2_VERSION) return handleElbv2(form, response, at);
        return handleCloudFormation(form, response, at);
      }
      calls.push({ service: 's3', at, ...objects.handle(request.method!, path, body, response) });
    })().catch((error: Error) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error.stack ?? error));
    });
  });

  await new Promise<void>((resolve) => server.listen(start.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  const fake: FakeAws = {
    url,
    port,
    calls,
    get options() {
      return options;
    },
    scenario: applyScenario,
    callCounts(service, since = -Infinity) {
      const counts: Record<string, number> = {};
      for (const call of calls)
        if ((!service || call.service === service) && call.at >= since)
          counts[call.operation] = (counts[call.operation] ?? 0) + 1;
      return counts;
    },
    addImage: (repositoryName, image) => ecr.addImage(repositoryName, image, now()),
    state: () => {
      const at = now();
      cfn.advance(at);
      return fakeAwsState(cfn, ecr, ecs, calls, options, at);
    },
    cloudFormation: cfn,
    ecs,
    ecr,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
      return closing;
    },
  };
  const { port: _port, now: _now, requestBudget: _budget, ...scenarioInput } = start;
  applyScenario(scenarioInput);
  return fake;
}
