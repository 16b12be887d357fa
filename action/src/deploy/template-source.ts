// CloudFormation takes a template inline up to 51,200 bytes; a larger one must come from S3.
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Reporter } from '../reporter.js';
import type { Waiter } from './wait.js';

export const INLINE_TEMPLATE_LIMIT = 51_200;

export type TemplateSource = { TemplateBody: string } | { TemplateURL: string };

export async function templateSource(
  s3: () => Promise<S3Client>,
  waiter: Waiter,
  reporter: Reporter,
  request: { stackName: string; templateBody: string; s3Bucket?: string; mode?: 'deploy' | 'plan' },
): Promise<TemplateSource> {
  const size = Buffer.byteLength(request.templateBody, 'utf8');
  if (size <= INLINE_TEMPLATE_LIMIT) return { TemplateBody: request.templateBody };
  const bytes = size.toLocaleString('en-US');
  if (!request.s3Bucket) {
    throw new Error(
      `The template is ${bytes} bytes, over CloudFormation's 51,200-byte limit for inline templates: set s3-bucket to a bucket the deploy role can write to.`,
    );
  }
  // Content-addressed, so re-deploying the same template reuses the object.
  const hash = createHash('sha256').update(request.templateBody).digest('hex').slice(0, 16);
  // Plans (pull requests) write under plan/ only, so they can never replace a template a deploy reads.
  const key = `${request.mode === 'plan' ? 'plan/' : ''}${request.stackName}/template-${hash}.json`;
  const client = await s3();
  const { PutObjectCommand } = await import('@aws-sdk/client-s3'); // loaded only for large templates
  await waiter.callElsewhere('the template upload', () =>
    client.send(
      new PutObjectCommand({
        Bucket: request.s3Bucket,
        Key: key,
        Body: request.templateBody,
        ContentType: 'application/json',
      }),
    ),
  );
  const region = await client.config.region();
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const url = `https://${request.s3Bucket}.s3.${region}.${domain}/${key}`;
  reporter.info(`Template is ${bytes} bytes (over 51,200): uploaded to s3://${request.s3Bucket}/${key}`);
  return { TemplateURL: url };
}
