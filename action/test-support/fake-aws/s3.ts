// Path-style S3, just enough to hold the templates a deploy uploads for TemplateURL (over 51,200
// bytes) and to read them back when a change set names them.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { AwsError } from './errors.js';

export class ObjectStore {
  private readonly objects = new Map<string, Buffer>();

  /** Answers PUT/GET/HEAD /<bucket>/<key>; returns the S3 operation and status for the call log. */
  handle(method: string, path: string, body: Buffer, response: ServerResponse): { operation: string; status: number } {
    const key = decodeURIComponent(path.split('?')[0]);
    const operation = method === 'PUT' ? 'PutObject' : method === 'HEAD' ? 'HeadObject' : 'GetObject';
    if (method === 'PUT') this.objects.set(key, body);
    const stored = this.objects.get(key);
    if (!stored) {
      response
        .writeHead(404, { 'content-type': 'application/xml' })
        .end(
          `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>${key}</Key></Error>`,
        );
      return { operation, status: 404 };
    }
    response
      .writeHead(200, { etag: `"${randomUUID()}"`, 'content-type': 'application/octet-stream' })
      .end(method === 'GET' ? stored : undefined);
    return { operation, status: 200 };
  }

  /** A template by URL: path-style (http://host/bucket/key) or virtual-hosted (https://bucket.s3…/key). */
  readTemplate(templateUrl: string): string {
    const { pathname, hostname } = new URL(templateUrl);
    const bucket = hostname.includes('.s3') ? hostname.split('.s3')[0] : '';
    const stored = this.objects.get(decodeURIComponent(bucket ? `/${bucket}${pathname}` : pathname));
    if (!stored)
      throw new AwsError(
        'ValidationError',
        'S3 error: Access Denied For more information check http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html',
      );
    return stored.toString('utf8');
  }
}
