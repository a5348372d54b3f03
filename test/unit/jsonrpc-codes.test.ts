import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonRpcCode } from '../../src/gateway/mcp/error-map.js';

/**
 * JSON-RPC codes by name: every code the gateway and the CLI emit comes from the one table in
 * `src/gateway/mcp/error-map.ts`, where each has one meaning. A bare `-32xxx` anywhere else in
 * `src` (code or comment; tests beside the code may assert wire values) fails this test.
 */
const ROOT = path.resolve(__dirname, '../..');
const TABLE = path.join(ROOT, 'src', 'gateway', 'mcp', 'error-map.ts');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(ts|mts|mjs|js)$/.test(name) && !name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('JSON-RPC codes by name', () => {
  it('finds no bare -32xxx literal in src outside the table', () => {
    const found = sources(path.join(ROOT, 'src'))
      .filter((file) => file !== TABLE)
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, index) => (/-32\d{3}\b/.test(line) ? [`${path.relative(ROOT, file)}:${index + 1}: ${line.trim()}`] : [])),
      );
    expect(found).toEqual([]);
  });

  it('gives each code one name, standard codes from the SDK and our own in the server-error range', () => {
    const entries = Object.entries(JsonRpcCode);
    expect(new Set(entries.map(([, code]) => code)).size).toBe(entries.length);
    expect(JsonRpcCode).toMatchObject({ ParseError: -32700, InvalidRequest: -32600, MethodNotFound: -32601, InvalidParams: -32602, InternalError: -32603 });
    const standard = new Set(['ParseError', 'InvalidRequest', 'MethodNotFound', 'InvalidParams', 'InternalError', 'Cancelled']);
    // -32002 and -32020..-32022, -32042 belong to the SDK and the 2026-07-28 revision.
    const taken = new Set([-32002, -32020, -32021, -32022, -32042]);
    for (const [name, code] of entries) {
      if (standard.has(name)) continue;
      expect(code, name).toBeGreaterThanOrEqual(-32099);
      expect(code, name).toBeLessThanOrEqual(-32000);
      expect(taken.has(code), name).toBe(false);
    }
  });

  it('keeps timeout and session-not-found apart', () => {
    expect(JsonRpcCode.Timeout).not.toBe(JsonRpcCode.SessionNotFound);
  });
});
