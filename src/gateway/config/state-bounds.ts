/**
 * The stored-value bounds (bounds.ts) applied to whole entities: discovered lists (drop what
 * exceeds, say why), the whole state before every write and load (refuse), and a `config.json`
 * loaded at start (repair what can be repaired, so a file written by an older gateway, or edited
 * by hand, cannot make every later write fail).
 */
import type { DroppedItem } from '../../shared/api.js';
import { GatewayError } from '../errors.js';
import { findBoundsViolation, joinPath, jsonBytes, STORED_VALUE_LIMITS, unstorableKey, type BoundsViolation } from './bounds.js';

export const DISCOVERED_LISTS = ['tools', 'resources', 'resource_templates', 'prompts'] as const;
export type DiscoveredListName = (typeof DISCOVERED_LISTS)[number];
type Item = Record<string, unknown>;
export type DiscoveredLists = Record<DiscoveredListName, Item[]>;

// One discovered item left out of the stored lists, and why (health shows them): the wire type.
export type { DroppedItem };

/** Which key names an item of each list: the same key clients see it by. */
const IDENTITY: Record<DiscoveredListName, string> = { tools: 'name', prompts: 'name', resources: 'uri', resource_templates: 'uriTemplate' };

function itemName(list: DiscoveredListName, item: unknown, index: number): string {
  const value = typeof item === 'object' && item !== null ? (item as Item)[IDENTITY[list]] : undefined;
  if (typeof value !== 'string') return `#${index}`;
  return value.length > 200 ? `${value.slice(0, 200)}…` : value;
}

/** Why one discovered item cannot be stored, or its size in bytes when it can. */
function measureItem(item: unknown): { problem: string } | { bytes: number } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return { problem: 'is not a JSON object' };
  const violation = findBoundsViolation(item);
  if (violation) return { problem: violation.path ? `${violation.path}: ${violation.message}` : violation.message };
  const bytes = jsonBytes(item);
  if (bytes > STORED_VALUE_LIMITS.maxItemBytes)
    return { problem: `is ${bytes} bytes of JSON, over the ${STORED_VALUE_LIMITS.maxItemBytes}-byte limit of one discovered item` };
  return { bytes };
}

/**
 * Keeps the discovered items that fit the bounds, in order, and names the others with a reason.
 * Items past the per-server total are dropped too. Shapes: `{kept: DiscoveredLists, dropped: DroppedItem[]}`.
 */
export function boundDiscovered(found: Partial<Record<DiscoveredListName, unknown>>): { kept: DiscoveredLists; dropped: DroppedItem[] } {
  const kept = { tools: [], resources: [], resource_templates: [], prompts: [] } as DiscoveredLists;
  const dropped: DroppedItem[] = [];
  let total = 0;
  for (const list of DISCOVERED_LISTS) {
    const items = Array.isArray(found[list]) ? (found[list] as unknown[]) : [];
    items.forEach((item, index) => {
      const measured = measureItem(item);
      let reason = 'problem' in measured ? measured.problem : undefined;
      if ('bytes' in measured) {
        if (total + measured.bytes > STORED_VALUE_LIMITS.maxDiscoveredBytes)
          reason = `would take the server's discovered lists over their ${STORED_VALUE_LIMITS.maxDiscoveredBytes}-byte limit`;
        else total += measured.bytes;
      }
      if (reason) dropped.push({ list, name: itemName(list, item, index), reason });
      else kept[list].push(item as Item);
    });
  }
  return { kept, dropped };
}

/**
 * The most of a server's `instructions` kept (characters): enough for any server seen (GitHub's,
 * server-everything's: a few KB), and every session's initialize carries them all.
 */
export const MAX_INSTRUCTIONS_CHARS = 16 * 1024;

/**
 * A server's `instructions` as they can be stored: cut at `MAX_INSTRUCTIONS_CHARS` (saying so at
 * the cut), or left out with the reason when they cannot be stored at all (not a string, a key or
 * character the bounds refuse). Undefined in, undefined out.
 */
export function boundInstructions(value: unknown): { kept?: string; problem?: string } {
  if (value === undefined) return {};
  if (typeof value !== 'string') return { problem: 'instructions are not a string' };
  const violation = findBoundsViolation(value);
  if (violation) return { problem: `instructions: ${violation.message}` };
  if (value.length <= MAX_INSTRUCTIONS_CHARS) return { kept: value };
  return { kept: `${value.slice(0, MAX_INSTRUCTIONS_CHARS)}\n[… cut by MCPlexer at ${MAX_INSTRUCTIONS_CHARS} characters]` };
}

const COLLECTIONS = ['workspaces', 'downstreams', 'routes', 'auth_scopes'] as const;

/**
 * The first value of a (not yet validated) config state beyond the bounds: each entity and the
 * settings are measured as one stored value, each discovered item as its own.
 */
export function findStateViolation(state: unknown): BoundsViolation | undefined {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) return undefined;
  const record = state as Record<string, unknown>;
  for (const collection of COLLECTIONS) {
    const entities = record[collection];
    if (!Array.isArray(entities)) continue;
    for (let index = 0; index < entities.length; index++) {
      const violation = entityViolation(entities[index], joinPath(collection, index), collection === 'downstreams');
      if (violation) return violation;
    }
  }
  return findBoundsViolation(record.settings, 'settings');
}

function entityViolation(entity: unknown, path: string, hasDiscovered: boolean): BoundsViolation | undefined {
  if (!hasDiscovered || typeof entity !== 'object' || entity === null || Array.isArray(entity)) return findBoundsViolation(entity, path);
  for (const [key, value] of Object.entries(entity)) {
    const fieldPath = joinPath(path, key);
    const violation =
      unstorableKey(key, fieldPath) ??
      ((DISCOVERED_LISTS as readonly string[]).includes(key) && Array.isArray(value)
        ? firstOf(value, (item, i) => findBoundsViolation(item, joinPath(fieldPath, i)))
        : findBoundsViolation(value, fieldPath, STORED_VALUE_LIMITS.maxDepth - 1));
    if (violation) return violation;
  }
  return undefined;
}

function firstOf<T, R>(items: T[], check: (item: T, index: number) => R | undefined): R | undefined {
  for (let i = 0; i < items.length; i++) {
    const result = check(items[i]!, i);
    if (result) return result;
  }
  return undefined;
}

/**
 * Refuses a state beyond the bounds.
 * @throws GatewayError `validation_failed` naming the JSON path and the limit.
 */
export function assertStateWithinBounds(state: unknown): void {
  const violation = findStateViolation(state);
  if (violation) throw new GatewayError('validation_failed', `${violation.path}: ${violation.message}`, { details: [violation] });
}

/**
 * Repairs, in place, what a loaded `config.json` holds beyond the bounds where that loses nothing
 * the user wrote: discovered items are dropped (discovery finds them again, and drops them again
 * with a reason), keys `__proto__` are removed (no copy could ever keep them), workspace `tags`
 * beyond the bounds are reset to `{}`. Returns one line per repair; anything else beyond the
 * bounds is left for `assertStateWithinBounds` to refuse.
 */
export function repairLoadedState(state: unknown): string[] {
  const notes: string[] = [];
  if (typeof state !== 'object' || state === null || Array.isArray(state)) return notes;
  const record = state as Record<string, unknown>;
  for (const collection of COLLECTIONS) {
    const entities = record[collection];
    if (!Array.isArray(entities)) continue;
    entities.forEach((entity, index) => {
      if (typeof entity !== 'object' || entity === null || Array.isArray(entity)) return;
      const path = joinPath(collection, index);
      const fields = entity as Record<string, unknown>;
      if (collection === 'downstreams') repairDiscovered(fields, path, notes);
      if (collection === 'workspaces' && findBoundsViolation(fields.tags, 'tags', STORED_VALUE_LIMITS.maxDepth - 1)) {
        fields.tags = {};
        notes.push(`${path}.tags was beyond the limits of a stored value and was reset to {}`);
      }
      removeProtoKeys(fields, path, notes);
    });
  }
  removeProtoKeys(record.settings, 'settings', notes);
  return notes;
}

function repairDiscovered(server: Record<string, unknown>, path: string, notes: string[]): void {
  const { kept, dropped } = boundDiscovered(server);
  for (const item of dropped) notes.push(`${path}.${item.list}: dropped "${item.name}": ${item.reason}`);
  if (dropped.length > 0) for (const list of DISCOVERED_LISTS) if (Array.isArray(server[list])) server[list] = kept[list];
  const instructions = boundInstructions(server.instructions);
  if (instructions.problem !== undefined) {
    delete server.instructions;
    notes.push(`${path}.instructions: dropped: ${instructions.problem}`);
  } else if (instructions.kept !== undefined) server.instructions = instructions.kept;
}

/** Deletes own `__proto__` keys anywhere under `value` (iteratively, within the depth bound). */
function removeProtoKeys(value: unknown, path: string, notes: string[]): void {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path, depth: 0 }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node.value !== 'object' || node.value === null || node.depth > STORED_VALUE_LIMITS.maxDepth) continue;
    const record = node.value as Record<string, unknown>;
    if (Object.hasOwn(record, '__proto__')) {
      delete record['__proto__'];
      notes.push(`${joinPath(node.path, '__proto__')} was removed: that key cannot be stored`);
    }
    for (const [key, child] of Object.entries(record)) stack.push({ value: child, path: joinPath(node.path, key), depth: node.depth + 1 });
  }
}
