// The loopback AWS for tests: start it in process, or run cli.ts beside a process under test.
export { startFakeAws, type CallRecord, type FakeAws, type StartOptions } from './server.js';
export { PRESETS, type PresetName, type ScenarioInput, type ScenarioOptions } from './scenario.js';
export { noticeLatencies, type FakeAwsState } from './state.js';
export { sampleTemplate } from './sample-template.js';

/** SDK client settings that reach the fake: `new CloudFormationClient(awsConfig(fake.url))`. */
export function awsConfig(url: string): {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
} {
  return {
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAFAKE', secretAccessKey: 'fake-secret' },
  };
}

/** Environment for a child process (the bundled action) so every AWS client it makes reaches the fake. */
export function awsEnvironment(url: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Polls `probe` until it returns something truthy (scripted time passes in real time). */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  intervalMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Condition not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
