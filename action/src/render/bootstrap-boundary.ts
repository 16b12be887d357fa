// The permissions boundary: the most any role the app's stacks create may ever do, whatever policy
// a template gives it. The execution role can create and change roles only with this boundary
// attached, so being able to deploy never becomes being able to make an administrator. It allows
// exactly what the stack's own roles use: pull the image, write the app's logs, read the secrets
// the config names, use the app's table, and (when the stack sets it) API Gateway's logging.
import type { Config } from '../config/schema.js';
import type { Value } from './template.js';
import { TABLE_ACTIONS } from './storage.js';
import { arn, statement } from './bootstrap-execution-role.js';
import { API_GATEWAY_LOGGING_ACTIONS } from './api-stage.js';

/** IAM path of everything the bootstrap creates: app roles live at `/`, so no grant on `role/<name>-*` reaches these. */
export const BOOTSTRAP_PATH = '/private-fargate-api/';

export const boundaryPolicyName = (name: string) => `${name}-boundary`;

export function boundaryStatements(config: Config): Value[] {
  const { name } = config;
  const repository = config.image.repository ?? name;
  const secrets = [...new Set(Object.values(config.service.secrets).map((a) => a.split(':').slice(0, 7).join(':')))];
  const named = (service: string) => secrets.filter((a) => a.split(':')[2] === service).sort();
  const statements: Value[] = [
    // GetAuthorizationToken is account-wide: AWS accepts no narrower resource for it.
    statement('RegistryLogin', ['ecr:GetAuthorizationToken'], '*'),
    statement(
      'PullAppImage',
      ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      arn('ecr', `repository/${repository}`),
    ),
    statement(
      'WriteAppLogs',
      ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      [arn('logs', `log-group:${name}-*`), arn('logs', `log-group:${name}-*:*`)],
    ),
    // Flow log delivery lists log groups by prefix, which IAM authorizes against every log group.
    statement('FindLogGroups', ['logs:DescribeLogGroups'], arn('logs', 'log-group:*')),
    statement('UseAppTable', TABLE_ACTIONS, [
      arn('dynamodb', `table/${name}-*`),
      arn('dynamodb', `table/${name}-*/index/*`),
    ]),
    // Secrets the config names, and any under the app's own prefix, so adding one needs no new bootstrap.
    statement(
      'ReadAppSecrets',
      ['secretsmanager:GetSecretValue'],
      [...named('secretsmanager'), arn('secretsmanager', `secret:${name}/*`)],
    ),
    statement('ReadAppParameters', ['ssm:GetParameters'], [...named('ssm'), arn('ssm', `parameter/${name}/*`)]),
  ];
  if (config.api.cloudWatchRole) {
    // API Gateway's account-wide logging role writes the execution logs of every API in the
    // Region, under log group names API Gateway chooses.
    statements.push(statement('ApiGatewayLogging', API_GATEWAY_LOGGING_ACTIONS, arn('logs', '*')));
  }
  return statements;
}
