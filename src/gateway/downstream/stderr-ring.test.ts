import { describe, expect, it } from 'vitest';
import { StderrRing } from './stderr-ring.js';

describe('StderrRing', () => {
  it('joins lines split across chunks and keeps an unterminated tail', () => {
    const ring = new StderrRing(5);
    ring.push('hel');
    ring.push('lo\nwor');
    ring.push('ld\r\npartial');
    expect(ring.tail()).toEqual(['hello', 'world', 'partial']);
  });

  it('keeps only the newest lines, oldest first', () => {
    const ring = new StderrRing(3);
    for (let i = 1; i <= 7; i++) ring.push(`line ${i}\n`);
    expect(ring.tail()).toEqual(['line 5', 'line 6', 'line 7']);
    expect(ring.tail(2)).toEqual(['line 6', 'line 7']);
  });

  it('clips very long lines and bounds the excerpt', () => {
    const ring = new StderrRing(10, 20);
    ring.push('x'.repeat(50) + '\n');
    expect(ring.tail()[0]).toBe('x'.repeat(20) + '…');
    for (let i = 0; i < 10; i++) ring.push('y'.repeat(19) + '\n');
    expect(ring.excerpt(10, 30).length).toBeLessThanOrEqual(31);
  });
});

describe('StderrRing redaction', () => {
  it('redacts every stored line and the unterminated tail, also a secret split across chunks', () => {
    const ring = new StderrRing(10, 2000, (line) => line.replaceAll('hunter2-secret', '[REDACTED]'));
    ring.push('login hunter2-');
    ring.push('secret ok\npartial hunter2-secret');
    expect(ring.tail()).toEqual(['login [REDACTED] ok', 'partial [REDACTED]']);
  });
});

describe('StderrRing across processes', () => {
  it("quotes in an excerpt only what the current process wrote; the tail keeps the history (a trial: an earlier crash's words blamed a new process)", () => {
    const ring = new StderrRing(10);
    ring.push('about to crash: segfault simulation\npartial of the old process');
    ring.mark();
    expect(ring.excerpt()).toBe('');
    ring.push('new process starting\n');
    expect(ring.excerpt()).toBe('new process starting');
    expect(ring.tail()).toEqual(['about to crash: segfault simulation', 'partial of the old process', 'new process starting']);
  });
});
