import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse-parser.js';

/** Every event of `text`, pushed in chunks cut at `cuts` (character offsets). */
function parse(text: string, cuts: number[] = []): { events: SseEvent[]; retries: number[] } {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const parser = new SseParser(
    (event) => events.push(event),
    (ms) => retries.push(ms),
  );
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    parser.push(text.slice(from, cut));
    from = cut;
  }
  return { events, retries };
}

const STREAM = 'id: 1\ndata: {"a":1}\n\n: a comment\nevent: message\ndata: {"b":\ndata: 2}\n\nid: 3\ndata:\n\nretry: 2500\ndata:x\n\n';
const EXPECTED: SseEvent[] = [
  { id: '1', data: '{"a":1}', event: undefined },
  { id: undefined, data: '{"b":\n2}', event: 'message' },
  { id: '3', data: '', event: undefined },
  { id: undefined, data: 'x', event: undefined },
];

describe('SseParser', () => {
  it('dispatches each event at its blank line, data lines joined with LF, ids kept', () => {
    expect(parse(STREAM)).toEqual({ events: EXPECTED, retries: [2500] });
  });

  it('gives the same events whatever the chunks, at every cut', () => {
    for (let cut = 1; cut < STREAM.length; cut += 1) expect(parse(STREAM, [cut]).events).toEqual(EXPECTED);
    expect(
      parse(
        STREAM,
        Array.from({ length: STREAM.length - 1 }, (_, i) => i + 1),
      ).events,
    ).toEqual(EXPECTED);
  });

  it('takes CRLF and CR line ends, a CRLF cut between its two characters included', () => {
    const crlf = STREAM.replaceAll('\n', '\r\n');
    const cr = STREAM.replaceAll('\n', '\r');
    for (const text of [crlf, cr]) for (let cut = 1; cut < text.length; cut += 1) expect(parse(text, [cut]).events).toEqual(EXPECTED);
  });

  it('drops a leading BOM and an unterminated last event; ignores unknown fields and a NUL id', () => {
    expect(parse('\ufeffdata: 1\nfoo: bar\nid: a\0b\n\ndata: 2\n').events).toEqual([{ id: undefined, data: '1', event: undefined }]);
  });

  it('keeps a data value byte for byte past the one space after the colon', () => {
    expect(parse('data:  {"é":"\\u00e9"} \n\n').events).toEqual([{ id: undefined, data: ' {"é":"\\u00e9"} ', event: undefined }]);
  });
});
