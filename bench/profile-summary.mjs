// Summarises a V8 .cpuprofile of the gateway: self time per function and per area (npm package,
// gateway module, node internals, GC), mapping dist/cli-bundle.js positions back through its source map.
// Usage: node bench/profile-summary.mjs <file.cpuprofile> [dist/cli-bundle.js.map]
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function loadMap(mapFile) {
  try {
    return new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
  } catch {
    return undefined;
  }
}

function area(source, url, functionName) {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return '(program: V8/native outside JS)';
  if (!url) return 'native/builtins';
  if (url.startsWith('node:'))
    return `node ${url
      .slice(5)
      .split('/')[0]
      .replace(/^internal$/, 'internal/' + url.split('/')[1])}`;
  if (!source) return url;
  const nm = source.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = source.slice(nm + 13).split('/');
    return `pkg ${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  const src = source.indexOf('src/');
  if (src >= 0) {
    const parts = source.slice(src).split('/');
    return `mcplexer ${parts.slice(1, parts.length > 3 ? 3 : 2).join('/')}`;
  }
  return source;
}

export function summarizeProfile(profileFile, mapFile) {
  const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
  const map = mapFile ? loadMap(mapFile) : undefined;
  const totalUs = profile.endTime - profile.startTime;
  const perHitUs = totalUs / Math.max(1, profile.samples.length);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // Where each frame comes from: function name, original source position, area.
  const frames = new Map();
  const frame = (node) => {
    let f = frames.get(node.id);
    if (f) return f;
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    let source;
    let where = url ? `${path.basename(url)}:${lineNumber + 1}` : '';
    if (map && url.endsWith('cli-bundle.js') && lineNumber >= 0) {
      const entry = map.findEntry(lineNumber, columnNumber);
      if (entry?.originalSource) {
        source = entry.originalSource.replace(/^(\.\.\/)+/, '').replace(/^file:\/\//, '');
        const short = source.includes('node_modules/') ? source.slice(source.lastIndexOf('node_modules/') + 13) : source;
        where = `${short}:${entry.originalLine + 1}`;
      }
    }
    if (!source && url.startsWith('file://')) {
      source = fileURLToPath(url);
      const nm = source.lastIndexOf('node_modules/');
      where = `${nm >= 0 ? source.slice(nm + 13) : path.basename(source)}:${lineNumber + 1}`;
    }
    const name = functionName || '(anonymous)';
    f = { key: `${name} ${where}`, name, where, area: area(source, url, functionName), mapped: Boolean(source), native: !url && !name.startsWith('(') };
    frames.set(node.id, f);
    return f;
  };
  // Natives (e.g. writeUtf8String) are charged to the nearest JS caller's area, named after it.
  const jsCaller = (node) => {
    for (let id = parent.get(node.id); id !== undefined; id = parent.get(id)) {
      const f = frame(byId.get(id));
      if (!f.native && f.name !== '(root)') return f;
    }
    return undefined;
  };

  const self = new Map();
  const inclusive = new Map();
  const buckets = new Map();
  let busyUs = 0;
  for (const node of profile.nodes) {
    if (!node.hitCount) continue;
    const f = frame(node);
    if (f.name === '(idle)' || f.name === '(root)') continue;
    const us = node.hitCount * perHitUs;
    busyUs += us;
    let key = f.key;
    let label = { name: f.name, where: f.where };
    let bucket = f.area;
    if (f.native) {
      const caller = jsCaller(node);
      if (caller) {
        key = `${f.name} <- ${caller.key}`;
        label = { name: `${f.name} <- ${caller.name}`, where: caller.where };
        bucket = `${caller.area} (native)`;
      }
    }
    const entry = self.get(key) ?? { ...label, us: 0 };
    entry.us += us;
    self.set(key, entry);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + us);
    // Inclusive time of mapped (bundled) frames: each function counted once per stack.
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const g = frame(byId.get(id));
      if (!g.mapped || seen.has(g.key)) continue;
      seen.add(g.key);
      const inc = inclusive.get(g.key) ?? { name: g.name, where: g.where, us: 0 };
      inc.us += us;
      inclusive.set(g.key, inc);
    }
  }
  const pct = (us) => (100 * us) / busyUs;
  const list = (m, n) =>
    [...m.values()]
      .map((f) => ({ name: f.name, where: f.where, ms: f.us / 1000, pct: pct(f.us) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, n);
  return {
    total_ms: busyUs / 1000,
    wall_ms: totalUs / 1000,
    buckets: [...buckets].map(([name, us]) => ({ name, ms: us / 1000, pct: pct(us) })).sort((a, b) => b.ms - a.ms),
    functions: list(self, 60),
    inclusive: list(inclusive, 60),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, mapFile] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [dist/cli-bundle.js.map]');
    process.exit(1);
  }
  const s = summarizeProfile(file, mapFile ?? path.resolve(fileURLToPath(import.meta.url), '../../dist/cli-bundle.js.map'));
  console.log(`busy ${s.total_ms.toFixed(0)} ms of ${s.wall_ms.toFixed(0)} ms`);
  for (const b of s.buckets.slice(0, 20)) console.log(`${b.pct.toFixed(1).padStart(5)}%  ${b.name}`);
  console.log('');
  for (const f of s.functions.slice(0, 40)) console.log(`${f.pct.toFixed(1).padStart(5)}%  ${f.name}  ${f.where}`);
  console.log('\ninclusive (bundled code):');
  for (const f of s.inclusive.slice(0, 40)) console.log(`${f.pct.toFixed(1).padStart(5)}%  ${f.name}  ${f.where}`);
}
