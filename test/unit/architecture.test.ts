import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Pins the architecture: the arrows ARCHITECTURE.md allows between modules, no module reaching
 * into another's internals (only its index.ts), nothing in the gateway importing `vscode` or the
 * extension/webview/cli, the composition root (`gateway.ts`) wiring module faces only, `src/shared`
 * depending on nothing of ours but itself, `src/cli` reaching the gateway only through its index,
 * no import cycle between source files (type-only imports count: they couple files too), and no
 * source file over 300 lines. The boundaries of issue 16 (`BOUNDARIES`): the views (`src/webview`)
 * reach only `src/shared` outside `shared/node`, and no Node built-in; `src/shared` outside
 * `shared/node` uses no Node built-in; `shared/node` uses only `src/shared` and Node; the extension
 * uses `src/shared` (node included) and `vscode`, never the gateway or the CLI; in the gateway
 * only `runtime/` (the daemon's lock and data dir) may use `shared/node`.
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
  http: ['calls', 'cache', 'config', 'routing', 'secrets', 'approvals', 'events', 'windows', 'metrics', 'audit', 'oauth', 'clients', 'errors', 'log'],
  mcp: ['calls', 'config', 'routing', 'errors', 'log'],
  calls: ['routing', 'cache', 'downstream', 'approvals', 'config', 'secrets', 'redaction', 'errors', 'log'],
  approvals: ['audit', 'config', 'errors', 'log'],
  cache: ['config', 'errors', 'log'],
  routing: ['config', 'errors'],
  downstream: ['config', 'redaction', 'errors', 'log'],
  audit: ['config', 'storage', 'redaction', 'errors', 'log'],
  storage: ['errors'],
  redaction: [],
  config: ['secrets', 'redaction', 'errors', 'log'],
  secrets: ['errors'],
  oauth: ['config', 'secrets', 'redaction', 'errors', 'log'],
  runtime: ['config', 'calls', 'downstream', 'mcp', 'events', 'windows', 'errors', 'log'],
  events: [],
  windows: ['errors'],
  metrics: ['config', 'errors', 'log'],
  clients: ['errors'],
};

function gatewayModule(file: string): string | undefined {
  const rel = path.relative(path.join(SRC, 'gateway'), file);
  if (rel.startsWith('..')) return undefined;
  const first = rel.split(path.sep)[0]!;
  return first.replace(/\.(ts|js)$/, '');
}

/** Every module specifier a file names: static imports and re-exports, bare `import 'x'`, `import('x')`, `require('x')`. */
function allImports(text: string): string[] {
  const pattern = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/gm;
  return [...text.matchAll(pattern)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

const NODE_BUILTINS = new Set(builtinModules);
const isNodeBuiltin = (spec: string) => spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0]!);

/** What an import resolves to, as the boundary rules see it: a folder of src, a Node built-in, `vscode`, or another package. */
type Target = 'shared' | 'shared/node' | 'gateway' | 'gateway/runtime' | 'cli' | 'extension' | 'webview' | 'node' | 'vscode' | 'package' | 'other';
function targetOf(file: string, spec: string): Target {
  if (spec === 'vscode') return 'vscode';
  if (isNodeBuiltin(spec)) return 'node';
  if (!spec.startsWith('.')) return 'package';
  const rel = path.relative(SRC, path.resolve(path.dirname(file), spec)).split(path.sep);
  if (rel[0] === 'shared') return rel[1] === 'node' ? 'shared/node' : 'shared';
  if (rel[0] === 'gateway') return rel[1] === 'runtime' ? 'gateway/runtime' : 'gateway';
  return rel[0] === 'cli' || rel[0] === 'extension' || rel[0] === 'webview' ? rel[0] : 'other';
}

/** Where a source file lives, as the boundary rules see it. */
type Area = 'webview' | 'shared' | 'shared/node' | 'extension' | 'gateway' | 'gateway/runtime' | 'cli';
function areaOf(file: string): Area | undefined {
  const rel = path.relative(SRC, file).split(path.sep);
  if (rel[0] === 'shared') return rel[1] === 'node' ? 'shared/node' : 'shared';
  if (rel[0] === 'gateway') return rel[1] === 'runtime' ? 'gateway/runtime' : 'gateway';
  return rel[0] === 'webview' || rel[0] === 'extension' || rel[0] === 'cli' ? rel[0] : undefined;
}

/** Area → the targets it must never import (relative imports inside the own area are always allowed). */
const BOUNDARIES: Record<Area, readonly Target[]> = {
  webview: ['shared/node', 'node', 'gateway', 'gateway/runtime', 'cli', 'extension', 'vscode', 'other'],
  shared: ['shared/node', 'node', 'gateway', 'gateway/runtime', 'cli', 'extension', 'webview', 'vscode', 'other'],
  'shared/node': ['gateway', 'gateway/runtime', 'cli', 'extension', 'webview', 'vscode', 'package', 'other'],
  extension: ['gateway', 'gateway/runtime', 'cli', 'webview', 'other'],
  gateway: ['shared/node', 'cli', 'extension', 'webview', 'vscode'],
  'gateway/runtime': ['cli', 'extension', 'webview', 'vscode'],
  cli: ['extension', 'webview', 'vscode'],
};

/** The boundary violations of one file's text, as `file → spec (target)`. */
function boundaryViolations(file: string, text: string): string[] {
  const area = areaOf(file);
  if (!area || file.endsWith('.test.ts')) return [];
  return allImports(text)
    .map((spec) => [spec, targetOf(file, spec)] as const)
    .filter(([, target]) => BOUNDARIES[area].includes(target))
    .map(([spec, target]) => `${path.relative(ROOT, file)} → ${spec} (${target})`);
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

  it('keeps the boundaries between the views, shared, shared/node, the extension, the gateway and the CLI', () => {
    expect(files.flatMap((f) => boundaryViolations(f, readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('the boundary rules catch each forbidden import (synthetic files)', () => {
    const at = (rel: string) => path.join(SRC, rel);
    const cases: Array<[file: string, text: string, bad: boolean]> = [
      [at('webview/servers/main.ts'), "import { RestClient } from '../../shared/rest-client.js';", false],
      [at('webview/servers/main.ts'), "import type { Health } from '../../shared/api.js';", false],
      [at('webview/servers/main.ts'), "import '@vscode-elements/elements';", false],
      [at('webview/servers/main.ts'), "import { readLock } from '../../shared/node/index.js';", true],
      [at('webview/servers/main.ts'), "import { readFileSync } from 'node:fs';", true],
      [at('webview/servers/main.ts'), "import path from 'path';", true],
      [at('webview/servers/main.ts'), "const m = await import('../../gateway/index.js');", true],
      [at('webview/main.ts'), "export { x } from '../extension/views/index.js';", true],
      [at('shared/api.ts'), "import { z } from 'zod';", false],
      [at('shared/api.ts'), "import { readFileSync } from 'node:fs';", true],
      [at('shared/api.ts'), "import { readLock } from './node/index.js';", true],
      [at('shared/node/locate.ts'), "import { spawn } from 'node:child_process';\nimport { RestClient } from '../rest-client.js';", false],
      [at('shared/node/locate.ts'), "import { z } from 'zod';", true],
      [at('shared/node/locate.ts'), "import { startGateway } from '../../gateway/index.js';", true],
      [at('extension/activate.ts'), "import * as vscode from 'vscode';\nimport { locateOrStartGateway } from '../shared/node/index.js';", false],
      [at('extension/activate.ts'), "import { startGateway } from '../gateway/index.js';", true],
      [at('extension/activate.ts'), "import { selfCommand } from '../cli/self.js';", true],
      [at('gateway/http/app.ts'), "import type { Health } from '../../shared/api.js';", false],
      [at('gateway/http/app.ts'), "import { readLock } from '../../shared/node/index.js';", true],
      [at('gateway/runtime/lock.ts'), "import { readLock } from '../../shared/node/index.js';", false],
      [at('cli/main.ts'), "import { defaultDataDir } from '../shared/node/index.js';", false],
    ];
    const wrong = cases
      .filter(([file, text, bad]) => boundaryViolations(file, text).length > 0 !== bad)
      .map(([file, text]) => `${path.relative(SRC, file)}: ${text}`);
    expect(wrong).toEqual([]);
  });

  it('raises every extension notification through notify.ts, which makes its text inert (no command: links)', () => {
    const direct = /\.\s*show(?:Error|Warning|Information)Message\s*\(/;
    const bad = files
      .filter((f) => f.startsWith(path.join(SRC, 'extension') + path.sep) && !f.endsWith('.test.ts') && path.basename(f) !== 'notify.ts')
      .filter((f) => direct.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f));
    expect(bad).toEqual([]);
    expect(direct.test('void vscode.window\n  .showWarningMessage(`x`)')).toBe(true);
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
