// The AWS query protocol as CloudFormation speaks it: form-encoded requests whose lists are
// flattened as `Name.member.N[.Field]`, and XML responses wrapped in `<XResponse><XResult>`.

export const CLOUDFORMATION_XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };

/** Parses a form body into nested values: `Tags.member.1.Key=a` → `{ Tags: [{ Key: 'a' }] }`. */
export function parseQuery(body: string): Record<string, QueryValue> {
  const root: Record<string, QueryValue> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split('.');
    let node: Record<string, QueryValue> | QueryValue[] = root;
    for (let i = 0; i < path.length; i++) {
      const last = i === path.length - 1;
      // `member` introduces a list; the index after it addresses one element (1-based).
      if (path[i] === 'member' && i + 1 < path.length) continue;
      const isIndex = path[i - 1] === 'member';
      const slot: string | number = isIndex ? Number(path[i]) - 1 : path[i];
      const container = node as Record<string | number, QueryValue>;
      if (last) {
        container[slot] = value;
      } else {
        container[slot] ??= path[i + 1] === 'member' ? [] : {};
        node = container[slot] as Record<string, QueryValue> | QueryValue[];
      }
    }
  }
  return root;
}

export type XmlValue = string | number | boolean | Date | undefined | null | XmlValue[] | { [key: string]: XmlValue };

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[c]};`);
}

/** Serializes a value the way query services do: arrays as `<member>` elements, times as ISO 8601. */
export function toXml(name: string, value: XmlValue): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    return `<${name}>${value.map((item) => toXml('member', item)).join('')}</${name}>`;
  }
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .map(([key, child]) => toXml(key, child))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function queryResponse(
  action: string,
  result: Record<string, XmlValue>,
  requestId: string,
  xmlns = CLOUDFORMATION_XMLNS,
): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${xmlns}">` +
    toXml(`${action}Result`, result) +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function queryError(
  code: string,
  message: string,
  requestId: string,
  type: 'Sender' | 'Receiver' = 'Sender',
  xmlns = CLOUDFORMATION_XMLNS,
): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${xmlns}">` +
    toXml('Error', { Type: type, Code: code, Message: message }) +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
