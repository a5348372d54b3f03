/** A compiled set of tool-name patterns (`cacheable_patterns` or `mutation_patterns`). */
export interface NamePatterns {
  /**
   * Whether the un-namespaced tool name, or any suffix of it after an `_`, matches a pattern:
   * `clickup_get_task` is tested as itself, `get_task` and `task`, so it matches `get_*`.
   */
  matches(name: string): boolean;
}

const NEVER: NamePatterns = Object.freeze({ matches: () => false });

/**
 * Compiles patterns once (per server, at a config change) into one regular expression. A `*`
 * matches any run of characters; everything else is literal and case-sensitive. A pattern that
 * ends in `_*` also matches its stem alone, so a bare `search` matches `search_*` as the original's
 * `matchesAny` does.
 */
export function compilePatterns(patterns: readonly string[]): NamePatterns {
  if (patterns.length === 0) return NEVER;
  const regex = new RegExp(`^(?:${patterns.map(patternSource).join('|')})$`);
  return {
    matches(name) {
      if (regex.test(name)) return true;
      for (let at = name.indexOf('_'); at !== -1; at = name.indexOf('_', at + 1)) {
        if (regex.test(name.slice(at + 1))) return true;
      }
      return false;
    },
  };
}

function patternSource(pattern: string): string {
  const glob = (text: string) => text.split('*').map(escape).join('.*');
  return pattern.endsWith('_*') ? `${glob(pattern.slice(0, -2))}(?:_.*)?` : glob(pattern);
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
