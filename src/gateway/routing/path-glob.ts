/**
 * Path globs over `/`-separated segments, the original's `GlobMatch` syntax exactly:
 * `*` is exactly one segment, `**` is zero or more segments, every other segment is literal
 * (no `?`, no `[..]`, no partial-segment `*`).
 *
 * Splitting: a string is split on `/` as is, so the empty subpath (the client sits at the
 * workspace root) is ONE empty segment, as Go's `strings.Split("", "/")` gives `[""]`.
 * Consequences, kept from the original: `**` and `*` both match `""`; `src/**` and
 * `**\/test` do not.
 */

/** A compiled path glob: `test(subpath)` is true when the glob matches the subpath. */
export interface PathGlobMatcher {
  readonly glob: string;
  readonly score: number;
  test(subpath: string): boolean;
}

const ANY_SEGMENTS = '**';
const ONE_SEGMENT = '*';

/** Specificity of a glob: literal segment 10, `*` 1, `**` 0, summed over the segments. */
export function pathGlobScore(glob: string): number {
  let score = 0;
  for (const segment of glob.split('/')) {
    if (segment === ANY_SEGMENTS) continue;
    score += segment === ONE_SEGMENT ? 1 : 10;
  }
  return score;
}

/** True when `glob` matches `subpath` (see the module comment for the splitting rule). */
export function pathGlobMatch(glob: string, subpath: string): boolean {
  return matchSegments(glob.split('/'), subpath.split('/'));
}

/** Compiles a glob once; the common shapes (`**`, all-literal) skip segment matching. */
export function compilePathGlob(glob: string): PathGlobMatcher {
  const segments = glob.split('/');
  const score = pathGlobScore(glob);
  if (segments.every((s) => s === ANY_SEGMENTS)) return { glob, score, test: () => true };
  if (segments.every((s) => s !== ANY_SEGMENTS && s !== ONE_SEGMENT)) {
    return { glob, score, test: (subpath) => subpath === glob };
  }
  return { glob, score, test: (subpath) => matchSegments(segments, subpath.split('/')) };
}

/**
 * Segment-level wildcard matching: `**` behaves like a string glob's `*`, `*` like `?`.
 * Greedy with backtracking to the last `**` only, so it is O(pattern × path), never exponential.
 */
function matchSegments(pattern: readonly string[], path: readonly string[]): boolean {
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < path.length) {
    const current = pattern[p];
    if (current === ANY_SEGMENTS) {
      starP = p;
      starS = s;
      p += 1;
    } else if (current !== undefined && (current === ONE_SEGMENT || current === path[s])) {
      p += 1;
      s += 1;
    } else if (starP >= 0) {
      p = starP + 1;
      starS += 1;
      s = starS;
    } else {
      return false;
    }
  }
  while (pattern[p] === ANY_SEGMENTS) p += 1;
  return p === pattern.length;
}
