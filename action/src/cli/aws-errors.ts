// One line a user can act on for the AWS failures that are about the machine's setup rather than
// the stack: no credentials, a Region or endpoint that does not resolve, an endpoint that is not
// an AWS API. The SDK's own words for them ("Could not load credentials from any providers",
// "Unknown") say neither what is wrong nor what to do.

interface AwsErrorShape {
  name?: string;
  message?: string;
  code?: string;
  hostname?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number; body?: unknown };
}

const ENDPOINT_VARIABLES = /^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$/;

/** The friendly line for err (or an error it wraps), or undefined when it is not a setup problem. */
export function explainAwsError(error: unknown, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (let e = error as AwsErrorShape | undefined, depth = 0; e && depth < 5; e = e.cause as AwsErrorShape, depth++) {
    const line = explainOne(e, env);
    if (line) return line;
  }
  return undefined;
}

function explainOne(e: AwsErrorShape, env: NodeJS.ProcessEnv): string | undefined {
  if (e.name === 'CredentialsProviderError') {
    const profile = env.AWS_PROFILE ? ` for profile ${env.AWS_PROFILE}` : '';
    return `no AWS credentials found${profile}: run 'aws configure' or 'aws sso login', pass --profile, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`;
  }
  const endpoints = endpointVariables(env);
  if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
    const also = endpoints ? `, ${endpoints}` : '';
    return `cannot reach ${e.hostname ?? 'the AWS endpoint'}: the name does not resolve (DNS); check --aws-region${also} and the network`;
  }
  if (e.code === 'ECONNREFUSED') {
    return `cannot reach the AWS endpoint${endpoints ? ` ${endpoints}` : ''}: connection refused`;
  }
  const status = e.$metadata?.httpStatusCode;
  if (status === 404 && (!e.message || e.message === 'Unknown' || e.message === 'UnknownError')) {
    return `the AWS endpoint${endpoints ? ` ${endpoints}` : ''} answered HTTP 404 with an empty body: it is not an AWS API (check the endpoint and --aws-region)`;
  }
  return undefined;
}

/** The AWS_ENDPOINT_URL* variables that point the SDK somewhere other than AWS, as `NAME=value`. */
function endpointVariables(env: NodeJS.ProcessEnv): string {
  return Object.keys(env)
    .filter((name) => ENDPOINT_VARIABLES.test(name) && env[name])
    .sort()
    .map((name) => `${name}=${env[name]}`)
    .join(', ');
}
