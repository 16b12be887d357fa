import { describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { EXPORT_DIR, EXPORT_SOURCE, exportFiles } from './export.js';
import { INLINE_TEMPLATE_LIMIT } from '../deploy/template-source.js';
import { S3_TEMPLATE_LIMIT } from '../config/project.js';
import { cfnLint, cfnLintSkipReason } from '../../test-support/cfn-lint.js';

const repo = new URL('../../../', import.meta.url);
const files = exportFiles(await readFile(new URL(EXPORT_SOURCE, repo), 'utf8'));
const committed = (name: string) => readFile(new URL(`${EXPORT_DIR}/${name}`, repo), 'utf8').catch(() => '(missing)');

describe(`${EXPORT_DIR}/`, () => {
  it('holds what the renderer makes of the sample today (run `npm run export` to update it)', async () => {
    const stale = [];
    for (const { name, content } of files) if ((await committed(name)) !== content) stale.push(`${EXPORT_DIR}/${name}`);
    expect(stale).toEqual([]);
  });

  it('holds no rendered file the export no longer makes', async () => {
    const names = (await readdir(fileURLToPath(new URL(EXPORT_DIR, repo)))).filter((n) => n !== 'README.md');
    expect(names.sort()).toEqual(files.map((f) => f.name).sort());
  });

  it('has the default, the v1 link, the endpoints variant and the bootstrap template', () => {
    const types = (name: string) => {
      const template = parse(files.find((f) => f.name === name)!.content);
      return new Set(Object.values(template.Resources).map((r) => (r as { Type: string }).Type));
    };
    expect(types('pubquiz.template.yaml').has('AWS::ApiGatewayV2::VpcLink')).toBe(true);
    expect(types('pubquiz-vpclink-v1.template.yaml').has('AWS::ApiGateway::VpcLink')).toBe(true);
    expect(types('pubquiz-vpc-endpoints.template.yaml').has('AWS::EC2::NatGateway')).toBe(false);
    expect(types('pubquiz-vpc-endpoints.template.yaml').has('AWS::EC2::VPCEndpoint')).toBe(true);
    expect(types('bootstrap.template.yaml').has('AWS::IAM::OIDCProvider')).toBe(true);
  });

  it('fits every template in a CloudFormation call, the larger ones through the bucket the README names', async () => {
    const readme = await readFile(new URL(`${EXPORT_DIR}/README.md`, repo), 'utf8');
    for (const { content } of files.filter((f) => f.name.endsWith('.template.yaml'))) {
      const bytes = Buffer.byteLength(content);
      expect(bytes).toBeLessThanOrEqual(S3_TEMPLATE_LIMIT);
      if (bytes > INLINE_TEMPLATE_LIMIT) expect(readme).toContain('--s3-bucket');
    }
  });
});

const lintSkip = cfnLintSkipReason();
(lintSkip ? it.skip : it)(
  `every exported template passes cfn-lint${lintSkip ? ` (skipped: ${lintSkip})` : ''}`,
  async () => {
    const templates = files.filter(({ name }) => name.endsWith('.template.yaml'));
    expect(templates.length).toBeGreaterThan(0);
    expect(await cfnLint(templates.map(({ name, content }) => ({ name, body: content })))).toEqual([]);
  },
);
