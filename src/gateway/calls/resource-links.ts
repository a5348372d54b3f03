import type { DownstreamServer } from '../config/index.js';

type Item = Record<string, unknown>;

/** The most resource URIs a session remembers from results (the oldest go first). */
export const MAX_LINKED_RESOURCES = 256;

/**
 * Remembers which server each resource a result points at came from: a tool result's
 * `resource_link` and embedded `resource` items (MCP 2025-11-25 "Tools › Resource Links"), and a
 * prompt's messages' embedded resources. The result is relayed as the server wrote it (its URIs
 * are the server's own, which the model may hand back to the same server's tools), and
 * `resources/read` of such a URI goes to that server (`normaliseResource`), as reading it directly
 * would: a trial found links a tool returned unreadable through the gateway, which knew only its
 * `mcplexer://<namespace>/` form. Bounded per session; an unprefixed server needs none of this.
 *
 * @param linked the session's map (URI as written in the result → server id); undefined: nothing kept
 */
export function rememberResourceLinks(linked: Map<string, string> | undefined, server: DownstreamServer | undefined, result: Item): void {
  if (linked === undefined || server === undefined || server.expose_unprefixed) return;
  const content = result.content;
  if (Array.isArray(content)) for (const item of content) remember(linked, server.id, item);
  const messages = result.messages;
  if (Array.isArray(messages)) for (const message of messages) remember(linked, server.id, (message as Item | null)?.content);
}

function remember(linked: Map<string, string>, serverId: string, item: unknown): void {
  if (typeof item !== 'object' || item === null) return;
  const { type } = item as Item;
  const uri = type === 'resource_link' ? (item as Item).uri : type === 'resource' ? ((item as Item).resource as Item | undefined)?.uri : undefined;
  if (typeof uri !== 'string' || uri.length > 8192) return;
  linked.delete(uri);
  linked.set(uri, serverId);
  if (linked.size > MAX_LINKED_RESOURCES) linked.delete(linked.keys().next().value!);
}
