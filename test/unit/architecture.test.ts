import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Pins the architecture: the arrows ARCHITECTURE.md allows between modules, no module reaching
 * into another's internals (only its index.ts), nothing in the gateway importing `vscode` or the
 * extension/webview/cli, and no source file over 300 lines.
 */
const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

const files = sourceFiles(SRC);
const imports = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);

/** gateway module → the gateway modules it may import (arrows point down only). */
const ALLOWED: Record<string, string[]> = {
  http: ['calls', 'config', 'routing', 'secrets', 'errors', 'log'],
  mcp: ['calls', 'config', 'routing', 'errors', 'log'],
  calls: ['routing', 'downstream', 'config', 'secrets', 'errors', 'log'],
  routing: ['config', 'errors'],
  downstream: ['config', 'errors', 'log'],
  config: ['secrets', 'errors', 'log'],
  secrets: ['errors'],
  runtime: ['config', 'calls', 'downstream', 'mcp', 'errors', 'log'],
};

function gatewayModule(file: string): string | undefined {
  const rel = path.relative(path.join(SRC, 'gateway'), file);
  if (rel.startsWith('..')) return undefined;
  const first = rel.split(path.sep)[0]!;
  return first.replace(/\.(ts|js)$/, '');
}

describe('architecture', () => {
  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('keeps every source file under 300 lines', () => {
    const long = files.filter((f) => readFileSync(f, 'utf8').split('\n').length > 300).map((f) => path.relative(ROOT, f));
    expect(long).toEqual([]);
  });

  it('keeps vscode, the DOM side and the CLI out of the gateway', () => {
    const bad = files
      .filter((f) => gatewayModule(f) !== undefined)
      .flatMap((f) =>
        imports(f)
          .filter((spec) => spec === 'vscode' || /\/(extension|webview|cli)\//.test(spec))
          .map((spec) => `${path.relative(ROOT, f)} → ${spec}`),
      );
    expect(bad).toEqual([]);
  });

  it('lets gateway modules import only the modules below them, through their index', () => {
    const violations: string[] = [];
    for (const file of files) {
      const from = gatewayModule(file);
      if (!from || !(from in ALLOWED) || file.endsWith('.test.ts')) continue;
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = gatewayModule(path.resolve(path.dirname(file), spec));
        if (!target || target === from) continue;
        if (!ALLOWED[from]!.includes(target)) violations.push(`${path.relative(ROOT, file)} → ${target} (${spec})`);
        const resolved = path.relative(path.join(SRC, 'gateway', target), path.resolve(path.dirname(file), spec));
        const isModuleFolder = statSync(path.join(SRC, 'gateway', target), { throwIfNoEntry: false })?.isDirectory();
        if (isModuleFolder && resolved !== 'index.js')
          violations.push(`${path.relative(ROOT, file)} reaches into ${target}'s internals (${spec}); import its index.js`);
      }
    }
    expect(violations).toEqual([]);
  });
});
