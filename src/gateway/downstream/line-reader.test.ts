import { describe, expect, it } from 'vitest';
import { LineReader } from './line-reader.js';

function collect() {
  const messages: unknown[] = [];
  const junk: string[] = [];
  const reader = new LineReader(
    (m) => messages.push(m),
    (line, reason) => junk.push(`${reason}: ${line}`),
  );
  return { reader, messages, junk };
}

describe('LineReader', () => {
  it('splits messages across and within chunks, handling CRLF', () => {
    const { reader, messages, junk } = collect();
    reader.append(Buffer.from('{"jsonrpc":"2.0","id":1,"result":{}}\r\n{"jsonrpc":"2.0","me'));
    expect(messages).toHaveLength(1);
    reader.append(Buffer.from('thod":"notifications/progress","params":{"progress":1}}\n\n'));
    expect(messages).toEqual([
      { jsonrpc: '2.0', id: 1, result: {} },
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progress: 1 } },
    ]);
    expect(junk).toEqual([]);
  });

  it('keeps multi-byte characters split between chunks intact', () => {
    const { reader, messages } = collect();
    const bytes = Buffer.from('{"jsonrpc":"2.0","id":2,"result":{"text":"héllo ✓"}}\n');
    reader.append(bytes.subarray(0, 42));
    reader.append(bytes.subarray(42));
    expect(messages).toEqual([{ jsonrpc: '2.0', id: 2, result: { text: 'héllo ✓' } }]);
  });

  it('skips junk lines and reports why, without losing the messages around them', () => {
    const { reader, messages, junk } = collect();
    reader.append(
      Buffer.from('this is not json\n[1,2]\n{"hello":"world"}\n{"jsonrpc":"2.0","id":3}\n{"jsonrpc":"2.0","id":4,"error":{"code":-1,"message":"x"}}\n'),
    );
    expect(messages).toEqual([{ jsonrpc: '2.0', id: 4, error: { code: -1, message: 'x' } }]);
    expect(junk.map((j) => j.split(':')[0])).toEqual([
      'not JSON',
      'not a JSON-RPC 2.0 message',
      'not a JSON-RPC 2.0 message',
      'neither a request, a notification nor a response',
    ]);
  });

  it('takes a response only with an object result or error (MCP results are objects; the SDK dropped others and the call waited)', () => {
    const { reader, messages, junk } = collect();
    const lines = [
      '{"jsonrpc":"2.0","id":1,"result":null}',
      '{"jsonrpc":"2.0","id":2,"result":[1]}',
      '{"jsonrpc":"2.0","id":3,"result":"ok"}',
      '{"jsonrpc":"2.0","id":4,"error":null}',
    ];
    reader.append(Buffer.from(`${lines.join('\n')}\n{"jsonrpc":"2.0","id":5,"result":{}}\n`));
    expect(messages).toEqual([{ jsonrpc: '2.0', id: 5, result: {} }]);
    expect(junk.map((j) => j.split(':')[0])).toEqual([
      'its result is not an object',
      'its result is not an object',
      'its result is not an object',
      'its error is not an object',
    ]);
  });
});

describe('LineReader size limit', () => {
  function limited(limit: number) {
    const messages: unknown[] = [];
    const oversize: Array<[number, number]> = [];
    const reader = new LineReader(
      (m) => messages.push(m),
      () => undefined,
      () => limit,
      (seen, max) => oversize.push([seen, max]),
    );
    return { reader, messages, oversize };
  }
  const message = (text: string) => JSON.stringify({ jsonrpc: '2.0', id: 1, result: { text } });

  it('assembles a line split over many chunks exactly once, up to the limit', () => {
    const line = message('z'.repeat(500));
    const { reader, messages, oversize } = limited(line.length);
    for (let i = 0; i < line.length; i += 7) reader.append(Buffer.from(line.slice(i, i + 7)));
    reader.append(Buffer.from('\n'));
    expect(messages).toEqual([{ jsonrpc: '2.0', id: 1, result: { text: 'z'.repeat(500) } }]);
    expect(oversize).toEqual([]);
  });

  it.each([
    ['in one chunk with its newline', (line: string) => [line + '\n']],
    ['in small chunks without a newline', (line: string) => line.match(/.{1,10}/g)!],
  ])('reports a line over the limit once (%s) and drops everything after it', (_name, split) => {
    const { reader, messages, oversize } = limited(100);
    reader.append(Buffer.from(message('ok') + '\n'));
    for (const piece of split(message('w'.repeat(200)))) reader.append(Buffer.from(piece));
    reader.append(Buffer.from('\n' + message('late') + '\n'));
    expect(messages).toEqual([{ jsonrpc: '2.0', id: 1, result: { text: 'ok' } }]);
    expect(oversize).toHaveLength(1);
    expect(oversize[0]![0]).toBeGreaterThan(100);
    expect(oversize[0]![1]).toBe(100);
  });
});
