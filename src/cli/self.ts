import path from 'node:path';

/**
 * How the user ran this CLI, for hints in messages: `mcplexer` when it came through the package's
 * bin (npm link, a global install), else `node <the path given>` (e.g. `node dist/cli.js`).
 */
export function selfCommand(argv: readonly string[] = process.argv): string {
  const script = argv[1] ?? 'dist/cli.js';
  if (path.basename(script) === 'mcplexer') return 'mcplexer';
  const relative = path.relative(process.cwd(), script);
  return `node ${relative && !relative.startsWith('..') ? relative : script}`;
}
