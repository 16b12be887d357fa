import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getInputs } from './inputs.js';
import { loadAndRender } from './render.js';

const ROOT = resolve(import.meta.dirname, '../../..');
let runnerTemp: string;
const saved = process.env.RUNNER_TEMP;

beforeEach(async () => {
  runnerTemp = await mkdtemp(join(tmpdir(), 'render-phase-'));
  process.env.RUNNER_TEMP = runnerTemp;
});
afterEach(async () => {
  process.env.RUNNER_TEMP = saved;
  await rm(runnerTemp, { recursive: true, force: true });
});

const inputs = (given: Record<string, string>) =>
  getInputs((name) => ({ config: 'sample-api/deploy.yml', ...given })[name] ?? '', {});

describe('loadAndRender', () => {
  it('writes to template-path exactly the body CloudFormation receives, under the inline limit', async () => {
    const rendered = await loadAndRender(inputs({ mode: 'deploy' }), ROOT);
    const file = await readFile(rendered.templatePath, 'utf8');
    expect(file).toBe(rendered.templateBody);
    expect(JSON.parse(file)).toEqual(rendered.template);
    expect(Buffer.byteLength(file)).toBeLessThan(51_200);
  });

  it('writes YAML in render mode', async () => {
    const rendered = await loadAndRender(inputs({ mode: 'render' }), ROOT);
    expect(rendered.templatePath).toMatch(/\.template\.yaml$/);
    expect(await readFile(rendered.templatePath, 'utf8')).toMatch(/^AWSTemplateFormatVersion: /m);
  });

  it('refuses parameter-overrides the template does not have, all at once, with did-you-mean', async () => {
    const given = { mode: 'plan', 'parameter-overrides': 'ImageUrl=x\nDesiredCnt=2\nImageUri=y\nWhatever=1' };
    const error = await loadAndRender(inputs(given), ROOT).catch((e: Error) => e);
    expect((error as Error).message).toMatch(
      /^Invalid inputs:\n {2}- ImageUrl: the template has no such parameter \(did you mean ImageUri\?\)\n/,
    );
    expect((error as Error).message).toContain('- Whatever: the template has no such parameter\n');
    expect((error as Error).message).toContain('Nothing was sent to AWS.');
    expect((error as Error).message).not.toContain('- ImageUri');
  });
});
