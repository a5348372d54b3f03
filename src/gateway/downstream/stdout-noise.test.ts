import { describe, expect, it } from 'vitest';
import { StdoutNoise } from './stdout-noise.js';

describe('StdoutNoise: a stdio server’s stdout lines that are not JSON-RPC', () => {
  it('says nothing until a line comes, then counts them, names the first and keeps the newest', () => {
    const noise = new StdoutNoise(2);
    expect(noise.summary()).toBeUndefined();
    expect(noise.report()).toBeUndefined();
    noise.push('hello not json');
    expect(noise.summary()).toBe(
      'the server wrote 1 line to stdout that is not JSON-RPC, e.g. "hello not json": an MCP stdio server must write only JSON-RPC messages to stdout (log to stderr)',
    );
    noise.push('second');
    noise.push('third');
    expect(noise.report()).toEqual({ count: 3, tail: ['second', 'third'] });
    expect(noise.summary()).toContain('wrote 3 lines to stdout that are not JSON-RPC, e.g. "hello not json"');
  });

  it('redacts and clips what it keeps, and shortens the example', () => {
    const noise = new StdoutNoise(20, 300, (line) => line.replaceAll('s3cr3t-value', '[REDACTED]'));
    noise.push(`token s3cr3t-value ${'x'.repeat(400)}`);
    const [kept] = noise.report()!.tail;
    expect(kept).not.toContain('s3cr3t-value');
    expect(kept).toHaveLength(301);
    expect(noise.summary()).toContain(`e.g. "token [REDACTED] ${'x'.repeat(200 - 'token [REDACTED] '.length)}…"`);
  });
});

describe('StdoutNoise across processes', () => {
  it("speaks in a failure of what the current process wrote; health's report keeps the history", () => {
    const noise = new StdoutNoise();
    noise.push('GARBAGE LINE {not json');
    noise.mark();
    expect(noise.summary()).toBeUndefined();
    noise.push('banner of the new process');
    expect(noise.summary()).toMatch(/^the server wrote 1 line to stdout that is not JSON-RPC, e\.g\. "banner of the new process"/);
    expect(noise.report()).toEqual({ count: 2, tail: ['GARBAGE LINE {not json', 'banner of the new process'] });
  });
});
