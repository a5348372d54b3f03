import { specTypeSchemas } from '@modelcontextprotocol/server';
import { GatewayError, type GatewayErrorCode } from '../errors.js';
import { STORED_VALUE_LIMITS, exceedsDepth, findDepthViolation, tooDeepWording, zodWording, type DepthPath } from '../config/index.js';

/**
 * Levels of objects and arrays one client message may nest, the message object itself being
 * level 1 (so a tool's `arguments` hold 62 levels): the REST API's body limit. Deeper values are
 * refused before anything recursive (schema checks, redaction, cache keys, the JSON sent to a
 * downstream, the audit record) sees them: those would overflow the call stack. docs/limits.md.
 */
export const MAX_MESSAGE_DEPTH = STORED_VALUE_LIMITS.maxDepth;

/** Whether a message nests no deeper than `MAX_MESSAGE_DEPTH` (the lean path's check; O(containers), no allocation per leaf). */
export function withinMessageDepth(message: unknown): boolean {
  return !exceedsDepth(message, MAX_MESSAGE_DEPTH);
}

/**
 * What is wrong with a message a client sent to `/mcp`, as a `GatewayError` whose message and
 * `details[0].path` name the field (`params.name: expected string, received number`).
 * `inBand` says how it is answered: a well-formed JSON-RPC request whose MCP content is wrong gets
 * its JSON-RPC error response with its own id (like any answer to that request); anything else (not
 * a JSON-RPC message, a bad id, a notification, a batch with a bad member) is refused at the HTTP
 * level with that error as the body.
 */
export interface MessageProblem {
  error: GatewayError;
  inBand: boolean;
}

/** Client request methods whose params the spec defines, with the SDK's schema type name for each. */
const REQUEST_TYPES: Record<string, string> = {
  initialize: 'InitializeRequest',
  ping: 'PingRequest',
  'server/discover': 'DiscoverRequest',
  'tools/list': 'ListToolsRequest',
  'tools/call': 'CallToolRequest',
  'resources/list': 'ListResourcesRequest',
  'resources/templates/list': 'ListResourceTemplatesRequest',
  'resources/read': 'ReadResourceRequest',
  'resources/subscribe': 'SubscribeRequest',
  'resources/unsubscribe': 'UnsubscribeRequest',
  'subscriptions/listen': 'SubscriptionsListenRequest',
  'prompts/list': 'ListPromptsRequest',
  'prompts/get': 'GetPromptRequest',
  'completion/complete': 'CompleteRequest',
  'logging/setLevel': 'SetLevelRequest',
};

type Issue = { path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>; message: string };
type Validator = { '~standard': { validate(value: unknown): { issues?: readonly Issue[] } | Promise<unknown> } };

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  // JSON has no Infinity: a number too large for a double (1e400) parses as one.
  if (typeof value === 'number' && !Number.isFinite(value)) return 'a number too large to be exact (it overflows a double)';
  if (typeof value === 'number' && !Number.isInteger(value)) return `the fraction ${value}`;
  return typeof value === 'string' ? `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}` : typeof value;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function problem(code: GatewayErrorCode, path: string, message: string, inBand: boolean): MessageProblem {
  return { error: new GatewayError(code, `${path}: ${message}`, { details: [{ path, message }] }), inBand };
}

/** A field path as the client wrote it: `params.arguments`, `params.messages[0].role`. */
function pathOf(issue: Issue): string {
  return (issue.path ?? []).reduce<string>((out, step) => {
    const key = typeof step === 'object' && step !== null ? (step as { key: PropertyKey }).key : step;
    return typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key);
  }, '');
}

/** A depth path as the client wrote it: `params.arguments.a[0][0]`. */
function depthPathText(path: DepthPath): string {
  return path.reduce<string>((out, step) => (typeof step === 'number' ? `${out}[${step}]` : out ? `${out}.${step}` : step), '');
}

/** The depth problem of one message, if any; answered in band when it is a request (it has an id and a method). */
function checkDepth(message: Record<string, unknown>, inBand: boolean): MessageProblem | undefined {
  const path = findDepthViolation(message, MAX_MESSAGE_DEPTH);
  if (path === undefined) return undefined;
  return problem('invalid_params', depthPathText(path) || 'message', tooDeepWording(MAX_MESSAGE_DEPTH, 'an MCP message, as of a REST body'), inBand);
}

/** The params problem of a well-formed request of a method the spec defines, if any. */
function checkParams(method: string, message: Record<string, unknown>): MessageProblem | undefined {
  const typeName = REQUEST_TYPES[method];
  if (typeName === undefined) return undefined;
  const schema = (specTypeSchemas as unknown as Record<string, Validator | undefined>)[typeName];
  const result = schema?.['~standard'].validate({ method, ...(message.params === undefined ? {} : { params: message.params }) });
  const issue = (result as { issues?: readonly Issue[] } | undefined)?.issues?.[0];
  if (issue === undefined) return undefined;
  return problem('invalid_params', pathOf(issue) || 'params', `${zodWording(issue.message)} (in a ${method} request)`, true);
}

/** One message (not a batch). */
function checkOne(message: unknown): MessageProblem | undefined {
  if (!isObject(message)) return problem('bad_request', 'message', `expected a JSON-RPC object, received ${kindOf(message)}`, false);
  if (message.jsonrpc !== '2.0') {
    const received = message.jsonrpc === undefined ? 'it is missing' : `received ${kindOf(message.jsonrpc)}`;
    return problem('bad_request', 'jsonrpc', `expected "2.0", ${received}`, false);
  }
  const hasId = 'id' in message;
  // An integer, as the MCP SDK's schema (and JSON-RPC 2.0 §4: "SHOULD NOT contain fractional parts")
  // want: a fraction passed here and failed the SDK's parse as "Parse error" (ParseError), of valid JSON.
  if (hasId && typeof message.id !== 'string' && !(typeof message.id === 'number' && Number.isInteger(message.id))) {
    return problem('bad_request', 'id', `expected a string or an integer, received ${kindOf(message.id)}`, false);
  }
  const { method } = message;
  if (method === undefined) {
    const isResponse = 'result' in message || 'error' in message;
    if (isResponse && !hasId) return problem('bad_request', 'id', 'required in a response (the id of the request it answers)', false);
    if (isResponse && 'result' in message && 'error' in message)
      return problem('bad_request', 'result', 'a response has either result or error, not both', false);
    if (isResponse) return checkDepth(message, false);
    return problem('bad_request', 'method', 'required (a request or notification names its method, e.g. "tools/call")', false);
  }
  if (typeof method !== 'string') return problem('bad_request', 'method', `expected a string, received ${kindOf(method)}`, false);
  if (message.params !== undefined && !isObject(message.params)) {
    return problem('invalid_params', 'params', `expected an object, received ${kindOf(message.params)}`, hasId);
  }
  if (hasId && method.startsWith('notifications/')) {
    return problem('bad_request', 'id', `${method} is a notification, which has no id: send it without "id", or send a request method`, true);
  }
  // Before the schema check, which recurses into params.
  const tooDeep = checkDepth(message, hasId);
  if (tooDeep !== undefined || !hasId) return tooDeep;
  return checkParams(method, message);
}

/**
 * The first problem of a client message (one message or a batch), or undefined when it is a
 * well-formed JSON-RPC 2.0 message whose params fit the spec's schema for its method. Unknown
 * methods pass: the MCP server answers them with Method not found, naming the method.
 * A batch is refused as a whole when one member is wrong; the message names the member.
 * Spec: JSON-RPC 2.0 §4–§6; MCP basic protocol (ids are strings or numbers, never null).
 */
export function checkClientMessage(body: unknown): MessageProblem | undefined {
  if (!Array.isArray(body)) return checkOne(body);
  if (body.length === 0) return problem('bad_request', 'message', 'an empty batch: send at least one message', false);
  for (let index = 0; index < body.length; index += 1) {
    const member = body[index] as unknown;
    const found = Array.isArray(member) ? problem('bad_request', 'message', 'expected a JSON-RPC object, received a nested array', false) : checkOne(member);
    if (found === undefined) continue;
    const id = isObject(member) && (typeof member.id === 'string' || typeof member.id === 'number') ? ` (id ${JSON.stringify(member.id)})` : '';
    const detail = found.error.details[0]!;
    const path = `[${index}]${detail.path === 'message' ? '' : `.${detail.path}`}`;
    const message = `batch member ${path}${id}: ${detail.message}; nothing in the batch was processed`;
    return { error: new GatewayError(found.error.code, message, { details: [{ path, message: detail.message }] }), inBand: false };
  }
  return undefined;
}
