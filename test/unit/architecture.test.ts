import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Pins the architecture: the arrows ARCHITECTURE.md allows between modules, no module reaching
 * into another's internals (only its index.ts), nothing in the gateway importing `vscode` or the
 * extension/webview/cli, the composition root (`gateway.ts`) wiring module faces only, `src/shared`
 * depending on nothing of ours but itself, `src/cli` reaching the gateway only through its index,
 * no import cycle between source files (type-only imports count: they couple files too), and no
 * source file over 300 lines.
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
  http: ['calls', 'config', 'routing', 'secrets', 'approvals', 'errors', 'log'],
  mcp: ['calls', 'config', 'routing', 'errors', 'log'],
  calls: ['routing', 'downstream', 'approvals', 'config', 'secrets', 'errors', 'log'],
  approvals: ['audit', 'config', 'errors', 'log'],
  audit: ['config', 'errors', 'log', 'storage'],
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

  it('has the composition root and the gateway face import only module faces (index.ts)', () => {
    const roots = ['gateway.ts', 'index.ts'].map((name) => path.join(SRC, 'gateway', name));
    const bad = roots.flatMap((root) =>
      relativeImports(root)
        .map((target) => path.relative(path.join(SRC, 'gateway'), target))
        .filter((rel) => rel.includes(path.sep) && !rel.endsWith(`${path.sep}index.ts`))
        .map((rel) => `${path.relative(SRC, root)} → ${rel}`),
    );
    expect(bad).toEqual([]);
  });

  it('keeps src/shared free of the gateway, the CLI and Node-only pieces outside shared/node', () => {
    const bad = files
      .filter((f) => f.startsWith(path.join(SRC, 'shared') + path.sep) && !f.endsWith('.test.ts'))
      .flatMap((f) =>
        relativeImports(f)
          .filter((target) => !target.startsWith(path.join(SRC, 'shared') + path.sep))
          .map((target) => `${path.relative(ROOT, f)} → ${path.relative(ROOT, target)}`),
      );
    expect(bad).toEqual([]);
  });

  it('lets the CLI reach the gateway only through its index', () => {
    const bad = files
      .filter((f) => f.startsWith(path.join(SRC, 'cli') + path.sep) && !f.endsWith('.test.ts'))
      .flatMap((f) =>
        relativeImports(f)
          .filter((target) => target.startsWith(path.join(SRC, 'gateway') + path.sep) && target !== path.join(SRC, 'gateway', 'index.ts'))
          .map((target) => `${path.relative(ROOT, f)} → ${path.relative(ROOT, target)}`),
      );
    expect(bad).toEqual([]);
  });

  it('has no import cycle between source files', () => {
    const graph = new Map(files.filter((f) => !f.endsWith('.test.ts')).map((f) => [f, relativeImports(f)]));
    expect(findCycles(graph).map((cycle) => cycle.map((f) => path.relative(SRC, f)).join(' → '))).toEqual([]);
  });
});

/** The source files a file imports (relative specifiers resolved to .ts paths). */
function relativeImports(file: string): string[] {
  return imports(file)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
}

/** Every elementary cycle found by a depth-first search (Tarjan-free: the graph is small). */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}
