import { describe, expect, it } from 'vitest';
import { BoundedLines } from './bounded-lines.js';
import { RequestIdScanner } from './request-id-scanner.js';

function split(chunks: string[], maxBytes: number) {
  const seen: string[] = [];
  const lines = new BoundedLines(
    maxBytes,
    (line) => seen.push(line),
    (id, bytes) => seen.push(`overlong ${bytes} ${JSON.stringify(id)}`),
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
    expect(split(['01234567890\nnext\n'], 10)).toEqual(['overlong 11 null', 'next']);
    // Over the limit in many chunks: reported once, with the whole length, when the line ends.
    expect(split(['{"id":', '7,"method":"x",', '"params":{"a":"', 'y'.repeat(100), '"}}', '\n{"ok":1}\n'], 16)).toEqual([
      `overlong ${'{"id":7,"method":"x","params":{"a":"'.length + 103} 7`,
      '{"ok":1}',
    ]);
  });

  it('reports an overlong last line that the stream ends', () => {
    expect(split(['z'.repeat(30)], 10)).toEqual(['overlong 30 null']);
  });

  it('reads the id of an overlong request wherever it is, even after its params, in any chunking', () => {
    const line = `{"jsonrpc":"2.0","method":"tools/call","params":{"arguments":{"text":"${'}{"id":9,'.repeat(20)}"}},"id":"late"}`;
    for (const size of [1, 3, 7, 64]) {
      const chunks = [];
      for (let i = 0; i < line.length; i += size) chunks.push(line.slice(i, i + size));
      expect(split([...chunks, '\n{"ok":1}\n'], 40)).toEqual([`overlong ${line.length} "late"`, '{"ok":1}']);
    }
  });
});

describe('RequestIdScanner', () => {
  const scan = (text: string) => {
    const scanner = new RequestIdScanner();
    scanner.feed(Buffer.from(text));
    return scanner.result();
  };

  it.each([
    ['id first after jsonrpc', '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"arguments":{"x":"', 7],
    ['a string id with an escaped quote', ' { "id" : "a\\"b", "method": "x", "params": [', 'a"b'],
    ['id after the params', '{"jsonrpc":"2.0","method":"tools/call","params":{"a":[1,{"id":2}],"s":"}\\"{"},"id":3}', 3],
    ['the last of two ids, as JSON.parse keeps it', '{"id":1,"method":"x","id":"two"}', 'two'],
    ['a number id with a fraction and exponent, cut by the end of the text', '{"method":"x","id":-1.5e3', -1500],
    ['a unicode id', '{"id":"\u00e9té","method":"x"}', 'été'],
    ['a response is not answered', '{"jsonrpc":"2.0","id":4,"result":{"content":[', null],
    ['an error response neither', '{"jsonrpc":"2.0","error":{"code":1},"id":4}', null],
    ['not an object', '[{"id":1}]', null],
    ['cut inside the id', '{"jsonrpc":"2.0","id":"abc', null],
    ['an id that is not a string or number', '{"id":true,"method":"x","params":{', null],
    ['an id of an object', '{"id":{"a":1},"method":"x"}', null],
    ['an id too long to keep', `{"method":"x","id":"${'i'.repeat(300)}"}`, null],
    ['a key too long to be id, then the id', `{"${'k'.repeat(300)}":1,"id":5}`, 5],
  ])('%s', (_name, text, id) => {
    expect(scan(text)).toBe(id);
  });
});
