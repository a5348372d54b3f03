import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The webview code is browser code: nothing in src/webview imports Node, `vscode`, shared/node, the
 * gateway or the extension; the shared protocol files import only zod and src/shared. The view
 * host (src/extension/views) never imports webview code (they meet only in src/shared/webviews).
 */
const SRC = path.resolve(__dirname, '../../../src');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
const importsOf = (file: string) => {
  const text = readFileSync(file, 'utf8');
  const named = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)];
  const bare = [...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)];
  return [...named, ...bare].map((m) => m[1]!);
};
const resolved = (file: string, spec: string) => (spec.startsWith('.') ? path.relative(SRC, path.resolve(path.dirname(file), spec)) : spec);

describe('webview boundaries', () => {
  it('src/webview imports no Node module, no vscode, nothing of shared/node, the gateway or the extension', () => {
    const bad = files(path.join(SRC, 'webview')).flatMap((file) =>
      importsOf(file)
        .map((spec) => resolved(file, spec))
        .filter((target) => target.startsWith('node:') || target === 'vscode' || /^(shared\/node|gateway|extension|cli)\b/.test(target))
        .map((target) => `${path.relative(SRC, file)} → ${target}`),
    );
    expect(bad).toEqual([]);
  });

  it('src/shared/webviews imports only zod and src/shared', () => {
    const bad = files(path.join(SRC, 'shared', 'webviews')).flatMap((file) =>
      importsOf(file)
        .map((spec) => resolved(file, spec))
        .filter((target) => target !== 'zod' && !(target.startsWith('shared/') && !target.startsWith('shared/node')))
        .map((target) => `${path.relative(SRC, file)} → ${target}`),
    );
    expect(bad).toEqual([]);
  });

  it('src/extension/views never imports webview code', () => {
    const bad = files(path.join(SRC, 'extension', 'views')).flatMap((file) =>
      importsOf(file)
        .map((spec) => resolved(file, spec))
        .filter((target) => target.startsWith('webview'))
        .map((target) => `${path.relative(SRC, file)} → ${target}`),
    );
    expect(bad).toEqual([]);
  });
});
