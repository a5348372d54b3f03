import { isDeepStrictEqual } from 'node:util';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { GatewayError, isGatewayError } from '../errors.js';
import { parseBody } from './parse.js';
import {
  compactPattern,
  downstreamCreateSchema,
  routeCreateSchema,
  workspaceCreateSchema,
  type ConfigState,
  type DownstreamServer,
  type RouteRule,
  type Workspace,
} from './schemas/index.js';
import { DOWNSTREAM_ALIASES } from './services/downstreams.js';
import { checkApproval, defaultApprovalMode, ROUTE_ALIASES } from './services/routes.js';
import { workspaceWarnings, type Warning } from './services/workspaces.js';
import { checkPlainValues, checkTopLevel, checkUnique, resolveReferences } from './yaml-checks.js';
import type { ConfigStore } from './store.js';

export interface YamlImportResult {
  upserted: number;
  pruned: number;
  /** What was applied but probably will not work as meant (a workspace root missing on this machine). */
  warnings?: Warning[];
}

interface YamlFile {
  workspaces?: unknown[];
  downstreams?: unknown[];
  servers?: unknown[];
  routes?: unknown[];
}

const slug = (value: string) =>
  value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'x';
const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);

/**
 * Config as code: seeds workspaces, servers and routes from a YAML file. Items get stable ids
 * (given, or derived from name/namespace/content) and `source: "yaml"`; yaml items no longer in
 * the file are pruned; items made through the API are never touched. All or nothing.
 */
export async function importYamlConfig(store: ConfigStore, file: string): Promise<YamlImportResult> {
  const lines = new LineCounter();
  let document: Document;
  let doc: YamlFile;
  try {
    document = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines });
  } catch (error) {
    throw new GatewayError('validation_failed', `cannot read ${file}: ${(error as Error).message}`);
  }
  const syntax = document.errors[0];
  if (syntax) {
    // The parser's message ends with a code frame; its first line already says where.
    throw new GatewayError('validation_failed', `${file}: not valid YAML: ${syntax.message.split('\n')[0]!.replace(/:$/, '')}`);
  }
  try {
    doc = (document.toJS() ?? {}) as YamlFile;
  } catch (error) {
    throw new GatewayError('validation_failed', `${file}: ${(error as Error).message}`);
  }
  /** ", line N" for the deepest node of `keys` the document has (the field at fault, else its item). */
  const lineOf = (keys: Array<string | number>): string => {
    for (let depth = keys.length; depth > 0; depth -= 1) {
      const node = document.getIn(keys.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return `, line ${lines.linePos(node.range[0]).line}`;
    }
    return '';
  };
  /** ", line N" of a top-level key itself (not of its value). */
  const keyLineOf = (key: string): string => {
    const pair = isMap(document.contents) ? document.contents.items.find((item) => isScalar(item.key) && item.key.value === key) : undefined;
    const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    return range ? `, line ${lines.linePos(range[0]).line}` : '';
  };
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new GatewayError('validation_failed', `${file} must hold a mapping with workspaces, downstreams and routes`);
  if (document.contents === null) {
    // Nothing but comments or blanks: an editor saving the file (truncated first) looks like this
    // for a moment. It prunes nothing: to remove every item the file made, write `routes: []`.
    const made = [...store.state.workspaces, ...store.state.downstreams, ...store.state.routes].filter((item) => item.source === 'yaml').length;
    if (made === 0) return { upserted: 0, pruned: 0 };
    throw new GatewayError(
      'validation_failed',
      `${file} is empty: nothing applied, the ${made} items it made stay (to remove them all, write "workspaces: []", "downstreams: []" and "routes: []", or leave out --config)`,
    );
  }
  checkTopLevel(doc as Record<string, unknown>, file, (keys) => keyLineOf(String(keys[0])));
  const list = (value: unknown, key: string): Record<string, unknown>[] => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw new GatewayError('validation_failed', `${file}${lineOf([key])}: "${key}" must be a list`);
    return value as Record<string, unknown>[];
  };
  const at = (key: string, index: number, run: () => unknown) => {
    try {
      return run();
    } catch (error) {
      const field = isGatewayError(error) ? error.details[0]?.path : undefined;
      const where = lineOf([key, index, ...(field ? field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [])]);
      throw new GatewayError('validation_failed', `${file}${where}: ${key}[${index}]: ${(error as Error).message}`);
    }
  };
  const workspaces = list(doc.workspaces, 'workspaces').map((item, i) =>
    at('workspaces', i, () => {
      const input = parseBody(workspaceCreateSchema, item);
      return { ...input, id: input.id ?? `yaml-ws-${slug(input.name)}` };
    }),
  ) as Array<Omit<Workspace, 'source' | 'created_at' | 'updated_at'>>;
  const serverKey = doc.downstreams !== undefined ? 'downstreams' : 'servers';
  const servers = list(doc[serverKey], serverKey).map((item, i) =>
    at(serverKey, i, () => {
      const input = parseBody(downstreamCreateSchema, item, DOWNSTREAM_ALIASES);
      checkPlainValues(input);
      return { ...input, id: input.id ?? `yaml-${input.namespace}` };
    }),
  ) as Array<Partial<DownstreamServer> & { id: string }>;
  const routes = list(doc.routes, 'routes').map((item, i) =>
    at('routes', i, () => {
      const input = parseBody(routeCreateSchema, item, ROUTE_ALIASES);
      checkApproval(input, input.approval_mode);
      return {
        ...input,
        tool_pattern: compactPattern(input.tool_pattern),
        approval_mode: input.approval_mode ?? defaultApprovalMode(input.policy),
        id: input.id ?? `yaml-route-${digest(item)}`,
      };
    }),
  ) as Array<Omit<RouteRule, 'source' | 'created_at' | 'updated_at'>>;
  for (const field of ['id', 'name']) checkUnique(workspaces, 'workspaces', field, file, lineOf);
  for (const field of ['id', 'namespace', 'name']) checkUnique(servers, serverKey, field, file, lineOf);
  for (const field of ['id', 'name']) checkUnique(routes, 'routes', field, file, lineOf);
  resolveReferences(routes, { workspaces, servers }, store.state, file, lineOf);

  return store.update((draft) => {
    const now = new Date().toISOString();
    let upserted = 0;
    const upsert = <T extends { id: string; source: string; created_at: string; updated_at: string }>(
      items: T[],
      incoming: Array<Record<string, unknown> & { id: string }>,
      extra: (old?: T) => Record<string, unknown>,
    ) => {
      for (const item of incoming) {
        const index = items.findIndex((existing) => existing.id === item.id);
        const old = index >= 0 ? items[index] : undefined;
        if (old && old.source !== 'yaml')
          throw new GatewayError(
            'conflict',
            `${file}: id "${item.id}" already belongs to an item made through the ${old.source === 'api' ? 'API' : 'defaults'}; give the YAML item another id`,
          );
        const next = { ...extra(old), ...item, source: 'yaml', created_at: old?.created_at ?? now, updated_at: now } as unknown as T;
        // A re-import of an unchanged item keeps it as it is (its updated_at too): nothing changed.
        if (old && isDeepStrictEqual({ ...next, updated_at: old.updated_at }, old)) continue;
        if (index >= 0) items[index] = next;
        else items.push(next);
        upserted += 1;
      }
    };
    upsert(draft.workspaces, workspaces, () => ({}));
    upsert(draft.downstreams, servers, (old) => ({
      tools: old?.tools ?? [],
      resources: old?.resources ?? [],
      resource_templates: old?.resource_templates ?? [],
      prompts: old?.prompts ?? [],
      discovered_at: old?.discovered_at ?? null,
      ...(old?.instructions === undefined ? {} : { instructions: old.instructions }),
    }));
    upsert(draft.routes, routes, () => ({}));
    const pruned = prune(draft, new Set([...workspaces, ...servers, ...routes].map((item) => item.id)));
    const warnings = workspaces.flatMap((workspace, i) => workspaceWarnings(workspace).map((w) => ({ ...w, path: `workspaces[${i}].${w.path}` })));
    return { upserted, pruned, ...(warnings.length > 0 ? { warnings } : {}) };
  });
}

function prune(draft: ConfigState, keep: Set<string>): number {
  const gone = (item: { id: string; source: string }) => item.source === 'yaml' && !keep.has(item.id);
  const before = draft.workspaces.length + draft.downstreams.length + draft.routes.length;
  draft.routes = draft.routes.filter((route) => !gone(route));
  const used = (predicate: (route: RouteRule) => boolean) => draft.routes.some(predicate);
  // A pruned yaml item that API-made routes still point at stays, so nothing of the user's breaks.
  draft.downstreams = draft.downstreams.filter(
    (server) => !gone(server) || used((r) => r.server_id === server.id) || draft.auth_scopes.some((a) => a.server_id === server.id),
  );
  draft.workspaces = draft.workspaces.filter((workspace) => !gone(workspace) || used((r) => r.workspace_id === workspace.id));
  return before - (draft.workspaces.length + draft.downstreams.length + draft.routes.length);
}
