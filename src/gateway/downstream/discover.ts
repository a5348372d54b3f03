/**
 * Discovery: every page of tools, resources, resource templates and prompts, reading only the
 * lists whose capability the server declared. Items are returned exactly as the server sent them.
 */
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/client';
import { GatewayError } from '../errors.js';
import type { Instance } from './instance.js';
import type { CallOptions, Discovered, DownstreamResult } from './types.js';

/** A server whose cursor never converges stops here rather than looping forever. */
const MAX_PAGES = 1000;

export async function discoverAll(instance: Instance, opts: CallOptions): Promise<Discovered> {
  const conn = await instance.connection(opts);
  const caps = conn.client.getServerCapabilities() ?? {};
  const page = (method: string, cursor: string | undefined): Promise<DownstreamResult> =>
    instance.request(method, cursor === undefined ? undefined : { cursor }, opts);
  const name = instance.server.name;
  const [tools, resources, resourceTemplates, prompts] = await Promise.all([
    caps.tools ? readAll(page, name, 'tools/list', 'tools') : [],
    caps.resources ? readAll(page, name, 'resources/list', 'resources') : [],
    caps.resources ? readAll(page, name, 'resources/templates/list', 'resourceTemplates') : [],
    caps.prompts ? readAll(page, name, 'prompts/list', 'prompts') : [],
  ]);
  const found: Discovered = { tools, resources, resource_templates: resourceTemplates, prompts };
  const instructions = conn.client.getInstructions();
  if (typeof instructions === 'string' && instructions.trim() !== '') found.instructions = instructions;
  return found;
}

type PageReader = (method: string, cursor: string | undefined) => Promise<DownstreamResult>;

/** Follows `nextCursor` to the end. A server that declared the capability but lacks the method yields []. */
export async function readAll(page: PageReader, name: string, method: string, key: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    let result: DownstreamResult;
    try {
      result = await page(method, cursor);
    } catch (error) {
      if (pages === 0 && isMethodNotFound(error)) return items;
      throw error;
    }
    const list = result[key];
    if (Array.isArray(list)) for (const item of list) items.push(item as Record<string, unknown>);
    const next = result.nextCursor;
    if (typeof next !== 'string' || next === '' || seen.has(next)) return items;
    seen.add(next);
    cursor = next;
  }
  throw new GatewayError('downstream_error', `"${name}" returned more than ${MAX_PAGES} pages for ${method}`);
}

function isMethodNotFound(error: unknown): boolean {
  const cause = error instanceof GatewayError ? error.cause : error;
  return cause instanceof ProtocolError && cause.code === ProtocolErrorCode.MethodNotFound;
}
