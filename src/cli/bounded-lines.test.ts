import { describe, expect, it } from 'vitest';
import { BoundedLines, leadingId } from './bounded-lines.js';

function split(chunks: string[], maxBytes: number) {
  const seen: string[] = [];
  const lines = new BoundedLines(
    maxBytes,
    (line) => seen.push(line),
    (head, bytes) => seen.push(`overlong ${bytes} ${head.slice(0, 12)}`),
  );
  for (const chunk of chunks) lines.push(Buffer.from(chunk));
  lines.end();
  return seen;
}

describe('BoundedLines', () => {
  it('splits on \\n across chunks, drops a \\r before it, and keeps a last line without a newline', () => {
    expect(split(['ab', 'c\r\nde\n', '\r', '\nf'], 10)).toEqual(['abc', 'de', '', 'f']);
  });

  it('passes a line of exactly the limit, and discards a longer one up to its newline, then reads on', () => {
    expect(split(['0123456789\n'], 10)).toEqual(['0123456789']);
    expect(split(['0123456789\r\n'], 10)).toEqual(['0123456789']);
    expect(split(['01234567890\nnext\n'], 10)).toEqual(['overlong 11 01234567890', 'next']);
    // Over the limit in many chunks: reported once, with the whole length, when the line ends.
    expect(split(['{"id":', '7,"method":"x",', '"params":{"a":"', 'y'.repeat(100), '"}}', '\n{"ok":1}\n'], 16)).toEqual([
      `overlong ${'{"id":7,"method":"x","params":{"a":"'.length + 103} {"id":7,"met`,
      '{"ok":1}',
    ]);
  });

  it('reports an overlong last line that the stream ends', () => {
    expect(split(['z'.repeat(30)], 10)).toEqual([`overlong 30 ${'z'.repeat(12)}`]);
  });
});

describe('leadingId', () => {
  it.each([
    ['id first after jsonrpc', '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"arguments":{"x":"', 7],
    ['a string id with an escaped quote', ' { "id" : "a\\"b", "method": "x", "params": [', 'a"b'],
    ['id after the params: unreadable', '{"jsonrpc":"2.0","method":"tools/call","params":{"a":1},"id":3}', null],
    ['a response is not answered', '{"jsonrpc":"2.0","id":4,"result":{"content":[', null],
    ['not an object', '[{"id":1}]', null],
    ['cut inside the id', '{"jsonrpc":"2.0","id":"abc', null],
    ['an id that is not a string or number', '{"id":true,"method":"x","params":{', null],
  ])('%s', (_name, head, id) => {
    expect(leadingId(head)).toBe(id);
  });
});
