import { randomUUID } from 'node:crypto';
import { conflict, notFound } from '../../errors.js';
import type { Source } from '../schemas/index.js';

export function newId(): string {
  return randomUUID();
}

/** Puts `id` first (client-chosen or generated), as every response shows it. */
export function withId<T extends { id?: string | undefined }>(input: T): Omit<T, 'id'> & { id: string } {
  const { id, ...rest } = input;
  return { id: id ?? newId(), ...rest };
}

export function stamp(source: Source, now = new Date().toISOString()) {
  return { source, created_at: now, updated_at: now };
}

export function findOrThrow<T extends { id: string }>(items: readonly T[], id: string, kind: string): T {
  const item = items.find((candidate) => candidate.id === id);
  if (!item) throw notFound(kind, id);
  return item;
}

export function indexOrThrow<T extends { id: string }>(items: readonly T[], id: string, kind: string): number {
  const index = items.findIndex((candidate) => candidate.id === id);
  if (index < 0) throw notFound(kind, id);
  return index;
}

/** A 409 that names what still points at the entity and how to delete anyway. */
export function dependantsConflict(kind: string, id: string, dependants: string[]): never {
  throw conflict(
    `${kind} "${id}" is still used by ${dependants.join(', ')}; delete those first or repeat with ?cascade=true`,
    dependants.map((d) => ({ path: 'id', message: `used by ${d}` })),
  );
}

/** Copies `patch` over `target`, where `null` removes an optional field and `undefined` leaves it. */
export function mergePatch<T extends object>(target: T, patch: Record<string, unknown>): T {
  const record = target as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete record[key];
    else record[key] = value;
  }
  return target;
}

/** What the services need to know about config as code: the YAML file the gateway loaded, if any. */
export interface ServiceOptions {
  /** Absolute path of the YAML config file; items with `source: "yaml"` belong to it. */
  readonly yamlFile?: string | undefined;
}

/**
 * Refuses a REST change to an item the loaded YAML file manages: the next reload of that file
 * would silently undo it. Without a loaded file nothing would revert it, so the change is allowed.
 * @throws GatewayError `conflict` naming the file.
 */
export function refuseYamlManaged(item: { id: string; name?: string | undefined; source: Source }, kind: string, options: ServiceOptions): void {
  if (item.source !== 'yaml' || !options.yamlFile) return;
  const label = item.name && item.name !== item.id ? `${kind} "${item.name}" (id ${item.id})` : `${kind} "${item.id}"`;
  throw conflict(`${label} is managed by ${options.yamlFile}; edit that file (or remove the item from it) instead`, [
    { path: 'source', message: `yaml: managed by ${options.yamlFile}` },
  ]);
}

/**
 * Refuses an entity whose name (or namespace) is another one's id, or whose id is another one's
 * name: a reference by that word, in a path or a body, would find the id's owner while the user
 * meant the other (a trial's workspace named "global" had its allow rule land on the built-in
 * Global workspace, everywhere). Checked on the entity written only, so a clash stored before
 * this check cannot block later writes.
 * @throws GatewayError `conflict` (409) naming the field and the other entity's id
 */
export function refuseNameIdClash<T extends { id: string }>(
  items: readonly T[],
  self: T,
  keys: (item: T) => ReadonlyArray<[field: string, value: string | undefined]>,
  kind: string,
): void {
  for (const other of items) {
    if (other === self || other.id === self.id) continue;
    const mine = keys(self).find(([, value]) => value === other.id);
    if (mine)
      throw conflict(`${mine[0]} "${mine[1]}" is the id of another ${kind}; choose another ${mine[0]}`, [
        { path: mine[0], message: `is the id of ${kind} ${other.id}` },
      ]);
    const theirs = keys(other).find(([, value]) => value === self.id);
    if (theirs)
      throw conflict(`id "${self.id}" is the ${theirs[0]} of another ${kind} (id ${other.id}); choose another id`, [
        { path: 'id', message: `is the ${theirs[0]} of ${kind} ${other.id}` },
      ]);
  }
}
