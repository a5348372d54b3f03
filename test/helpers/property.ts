/**
 * Shared parts of the property tests over bad input (test/integration/*.property.test.ts): a raw
 * HTTP request where the body is any bytes and every header is as given (a stream answer resolves
 * at its headers and is closed), and fast-check generators for the hostile values the tests mix in.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import fc from 'fast-check';

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON (for an event stream read to its end: the array of its `data:` payloads), or undefined when it is not JSON. */
  json: any;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** ms before the request is abandoned (the promise rejects, naming the request). */
  timeoutMs?: number;
}

/**
 * Sends one request as given. A `text/event-stream` answer to a GET resolves at its headers (the
 * stream is closed); to any other method it is read to its end (a POST's stream ends with its answer).
 */
export function send(base: string, req: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    // Node sends a GET or DELETE body without a length unless told: it would be read as the next request.
    const length = req.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(req.body)) };
    const r = request({ hostname, port, method: req.method, path: req.path, headers: { ...length, ...req.headers } }, (res) => {
      const stream = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
      if (stream && req.method === 'GET') {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '', json: undefined });
        res.destroy();
        r.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          if (stream)
            json = text
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => JSON.parse(line.slice(5)));
          else json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined; // not JSON: the caller asserts on `text`
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    r.setTimeout(req.timeoutMs ?? 20_000, () => r.destroy(new Error(`no answer to ${req.method} ${req.path.slice(0, 120)} in time`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

/** Strings a validator may not expect: odd unicode (lone surrogates, RTL, NUL, emoji), separators, empty, long. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uD800',
    '\uDFFF',
    'a\u202Eb',
    '💥',
    '__',
    '::',
    '/',
    '..',
    '../../etc/passwd',
    '%00',
    '\r\n',
    'null',
    'true',
    '-1',
    '1e309',
  ),
  fc.integer({ min: 1_000, max: 20_000 }).map((n) => '\u00e9'.repeat(n)),
);

/** JSON text nested `depth` levels of arrays or objects (text, so any depth is possible). */
export const deepJsonText: fc.Arbitrary<string> = fc
  .record({ depth: fc.oneof(fc.integer({ min: 50, max: 200 }), fc.integer({ min: 1_000, max: 50_000 })), object: fc.boolean() })
  .map(({ depth, object }) => (object ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth)));

/** Body text that is not JSON, or JSON cut short. */
export const invalidJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('{', '{"a":', '[1,', '{"a":1,}', "{'a':1}", 'undefined', 'NaN', '{"a":01}', '\uFEFF{}', '{"__proto__":', ']', '"'),
  fc.string({ maxLength: 40 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
);

/** JSON text with bytes that are not UTF-8 inside a string (lone continuation bytes, overlongs, 0xFF). */
export const invalidUtf8Json = (prefix: string, suffix: string): fc.Arbitrary<Buffer> =>
  fc
    .array(fc.constantFrom([0x80], [0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]), { minLength: 1, maxLength: 6 })
    .map((parts) => Buffer.concat([Buffer.from(prefix), Buffer.from(parts.flat()), Buffer.from(suffix)]));

/** A string over the 1 MiB body limit, as a JSON string value. */
export const hugeJsonString = fc.integer({ min: 1_048_577, max: 1_300_000 }).map((n) => JSON.stringify('x'.repeat(n)));

/** Content types a JSON endpoint should refuse or read as JSON. */
export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      undefined,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
      'application/merge-patch+json',
      'application/octet-stream',
      'application/jsonx',
      '',
      ';;;',
    ),
  },
);
