/**
 * The nesting depth of a JSON value, measured without recursion: a value nested 100,000 levels
 * (200 KB of `[`) is walked with an explicit stack, so the check itself can never overflow the
 * call stack that it protects. Cheap on ordinary values: the first pass only answers yes or no,
 * on two stacks kept between calls (no allocation for a typical message); the path is searched
 * for only when the answer is yes.
 */

// Reused by every call of `exceedsDepth` (synchronous, so never shared by two walks at once).
const pendingValues: unknown[] = [];
const pendingDepths: number[] = [];

/** Whether `value` holds an object or array at nesting level `maxDepth + 1` or deeper (the root container is level 1). */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (maxDepth < 1) return true;
  pendingValues[0] = value;
  pendingDepths[0] = 1;
  let size = 1;
  let found = false;
  while (size > 0 && !found) {
    size -= 1;
    const container = pendingValues[size] as Record<string, unknown> | unknown[];
    const depth = pendingDepths[size]! + 1;
    pendingValues[size] = undefined;
    if (Array.isArray(container)) {
      for (let i = 0; i < container.length; i += 1) {
        const child = container[i];
        if (typeof child !== 'object' || child === null) continue;
        if (depth > maxDepth) found = true;
        pendingValues[size] = child;
        pendingDepths[size++] = depth;
      }
    } else {
      for (const key in container) {
        const child = container[key];
        if (typeof child !== 'object' || child === null) continue;
        if (depth > maxDepth) found = true;
        pendingValues[size] = child;
        pendingDepths[size++] = depth;
      }
    }
  }
  // Hold no reference to the client's message once answered.
  while (size > 0) pendingValues[--size] = undefined;
  return found;
}

/** Where a value first nests deeper than allowed: the keys and indexes from the root to the first container past the limit. */
export type DepthPath = Array<string | number>;

/**
 * The path of the first object or array at nesting level `maxDepth + 1` (the root object or
 * array is level 1, so `{}` is 1 and `{"a": []}` is 2), in depth-first order; undefined when
 * `value` nests no deeper than `maxDepth`. Iterative, O(nodes), stops at the first violation.
 */
export function findDepthViolation(value: unknown, maxDepth: number): DepthPath | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (maxDepth < 1) return [];
  if (!exceedsDepth(value, maxDepth)) return undefined;
  // Parallel stacks: the open containers, their own keys (undefined for an array), and the next child's index.
  const containers: object[] = [value];
  const keys: Array<string[] | undefined> = [Array.isArray(value) ? undefined : Object.keys(value)];
  const next: number[] = [0];
  while (containers.length > 0) {
    const top = containers.length - 1;
    const container = containers[top]!;
    const own = keys[top];
    const index = next[top]!;
    if (index >= (own === undefined ? (container as unknown[]).length : own.length)) {
      containers.pop();
      keys.pop();
      next.pop();
      continue;
    }
    next[top] = index + 1;
    const child = own === undefined ? (container as unknown[])[index] : (container as Record<string, unknown>)[own[index]!];
    if (typeof child !== 'object' || child === null) continue;
    if (containers.length >= maxDepth) return containers.map((_, level) => keys[level]?.[next[level]! - 1] ?? next[level]! - 1);
    containers.push(child);
    keys.push(Array.isArray(child) ? undefined : Object.keys(child));
    next.push(0);
  }
  return undefined;
}
