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
});
