/**
 * The MCP headers the bridge sends with a client message, as the SDK's Streamable HTTP client
 * transport (`@modelcontextprotocol/client` 2.4.0) sends them, so the gateway sees the same wire.
 */

export type Message = {
  jsonrpc: '2.0';
  id?: string | number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: unknown;
};

/** Where a 2026-07-28 request carries its protocol version (the SDK's `PROTOCOL_VERSION_META_KEY`). */
const PROTOCOL_VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';
const FIRST_MODERN_PROTOCOL_VERSION = '2026-07-28';
/** The param each method's `Mcp-Name` header is taken from (the SDK's `MCP_NAME_HEADER_SOURCE`). */
const MCP_NAME_SOURCE: Record<string, string> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};
const BASE64_PREFIX = '=?base64?';
const BASE64_SUFFIX = '?=';

const isRequest = (message: Message): boolean => typeof message.method === 'string' && message.id !== undefined;

/** Whether a message (or a batch) holds `initialize`: the session id is then left out and taken from the answer. */
export const isHandshake = (message: Message | Message[]): boolean =>
  Array.isArray(message) ? message.some((m) => m.method === 'initialize' && m.id !== undefined) : message.method === 'initialize' && message.id !== undefined;

/** `notifications/initialized` on its own: its 202 opens the standalone GET stream. */
export const isInitialized = (message: Message | Message[]): boolean =>
  !Array.isArray(message) && message.method === 'notifications/initialized' && message.id === undefined;

/** Whether a message (or a batch) holds a request, whose answer comes back in the POST's response. */
export const hasRequests = (message: Message | Message[]): boolean => (Array.isArray(message) ? message.some(isRequest) : isRequest(message));

/** Requests that only read (MCP 2025-11-25): sent twice, they change nothing. */
const READ_ONLY = new Set([
  'initialize',
  'ping',
  'tools/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
  'completion/complete',
]);

/** Whether a message (or a batch) holds a request that may change something (a `tools/call`, any method not known to only read). */
export const mayHaveEffects = (message: Message | Message[]): boolean =>
  (Array.isArray(message) ? message : [message]).some((m) => isRequest(m) && !READ_ONLY.has(m.method!));

/** The ids of the requests in a message or a batch (what is owed an answer). */
export const requestIds = (message: Message | Message[]): Array<string | number> =>
  (Array.isArray(message) ? message : [message]).flatMap((m) => (isRequest(m) && m.id !== undefined ? [m.id] : []));

/** The protocol version a single request claims in its `_meta` envelope (2026-07-28 and later), if any. */
function envelopeVersion(message: Message | Message[]): string | undefined {
  if (Array.isArray(message) || !isRequest(message)) return undefined;
  const meta = message.params?._meta as Record<string, unknown> | undefined;
  const version = typeof meta === 'object' && meta !== null ? meta[PROTOCOL_VERSION_META_KEY] : undefined;
  return typeof version === 'string' ? version : undefined;
}

/** A single request of the 2026-07-28 era: a 400 with its JSON-RPC error is then its answer. */
export function isModernRequest(message: Message | Message[]): boolean {
  const version = envelopeVersion(message);
  return version !== undefined && version >= FIRST_MODERN_PROTOCOL_VERSION;
}

/** An HTTP field value as the spec encodes `Mcp-Name`: plain printable ASCII as is, anything else base64 in a sentinel. */
function encodeParamValue(value: string): string {
  let plain = value.length > 0 && value === value.trim() && !(value.startsWith(BASE64_PREFIX) && value.endsWith(BASE64_SUFFIX));
  for (let i = 0; plain && i < value.length; i += 1) {
    const c = value.charCodeAt(i);
    plain = c === 9 || (c >= 32 && c <= 126);
  }
  return plain ? value : `${BASE64_PREFIX}${Buffer.from(value, 'utf8').toString('base64')}${BASE64_SUFFIX}`;
}

/**
 * Adds the headers derived from the body: a request claiming a protocol version in its `_meta`
 * envelope gets `mcp-protocol-version` (that version), `mcp-method` and, for the methods that have
 * one, `mcp-name`. A message without the claim is left alone (no 2026 header on a 2025 exchange).
 */
export function addBodyHeaders(headers: Record<string, string>, message: Message | Message[]): void {
  const version = envelopeVersion(message);
  if (version === undefined) return;
  const request = message as Message;
  headers['mcp-protocol-version'] = version;
  headers['mcp-method'] = request.method!;
  const field = Object.hasOwn(MCP_NAME_SOURCE, request.method!) ? MCP_NAME_SOURCE[request.method!]! : undefined;
  const value = field === undefined ? undefined : request.params?.[field];
  if (typeof value === 'string') headers['mcp-name'] = encodeParamValue(value);
}
