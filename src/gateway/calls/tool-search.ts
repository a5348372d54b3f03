import type { ToolEntry } from './catalog.js';

/**
 * `mcpx__search_tools` scoring (the original's): +100 exact name, +50 name contains the query,
 * +20 description contains it, +10 per query token found in the name, +5 per token in the
 * description. Names are also compared with `__`, `_` and `-` read as spaces.
 */
export function scoreTool(entry: ToolEntry, query: string): number {
  const q = query.trim().toLowerCase();
  if (!q) return 0;
  const name = entry.fullName.toLowerCase();
  const spaced = name.replace(/__|_|-/g, ' ');
  const description = String(entry.tool.description ?? '').toLowerCase();
  let score = 0;
  if (name === q || spaced === q) score += 100;
  if (name.includes(q) || spaced.includes(q)) score += 50;
  if (description.includes(q)) score += 20;
  const tokens = q.split(/\s+/).filter(Boolean);
  if (tokens.length > 1 || score === 0) {
    for (const token of tokens) {
      if (name.includes(token) || spaced.includes(token)) score += 10;
      if (description.includes(token)) score += 5;
    }
  }
  return score;
}

export const MAX_SEARCH_RESULTS = 20;

export function searchTools(entries: readonly ToolEntry[], query: string): ToolEntry[] {
  return entries
    .map((entry, index) => ({ entry, index, score: scoreTool(entry, query) }))
    .filter((hit) => hit.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((hit) => hit.entry);
}

/** `## name` (the name the client calls), the description, and a one-line summary of the parameters. */
export function formatSearchHit(entry: ToolEntry): string {
  const schema = (entry.tool.inputSchema ?? {}) as { properties?: Record<string, { type?: unknown }>; required?: string[] };
  const required = new Set(schema.required ?? []);
  const params = Object.entries(schema.properties ?? {}).map(([key, value]) => `${key}${required.has(key) ? '' : '?'}: ${String(value?.type ?? 'any')}`);
  const description = String(entry.tool.description ?? '').trim();
  return `## ${entry.listedName}\n${description || '(no description)'}\nParameters: ${params.length ? params.join(', ') : 'none'}`;
}

/** A `*`-anywhere glob for load/unload (`github__*`, `*issue*`). */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}
