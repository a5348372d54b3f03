/**
 * Why the `initialize` handshake failed when the server did answer it: with a JSON-RPC error, with
 * a protocol version the SDK does not speak, or with a result that lacks what the spec requires
 * (MCP 2025-11-25, Basic → Lifecycle → Initialization: `protocolVersion`, `capabilities`,
 * `serverInfo` with `name` and `version`). These are first causes: the SDK closes the connection
 * after them, so a process exit that follows is only a consequence.
 */
import { ProtocolError, SdkError, SdkErrorCode, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/client';

/** The longest piece of the SDK's own validation message quoted (characters). */
const SDK_EXCERPT = 300;

/**
 * @param error what `client.connect` rejected with
 * @param answer the `result` of the server's answer to `initialize`, as it arrived (undefined: none arrived)
 * @param who the server as named in messages (`downstream server "x"`)
 * @returns the sentence, or undefined when the failure was not the server's answer to initialize
 */
export function describeHandshake(error: unknown, answer: unknown, who: string): string | undefined {
  if (error instanceof ProtocolError) return describeRefusal(error, who);
  if (answer === undefined) return undefined;
  const problems = resultProblems(answer);
  if (problems.length > 0 || (error instanceof SdkError && error.code === SdkErrorCode.InvalidResult)) {
    const what = problems.length > 0 ? problems.join('; ') : sdkExcerpt(error as SdkError);
    return `${who} answered initialize with an invalid result: ${what} — the server does not follow the MCP initialize handshake; update it, or report this to its authors`;
  }
  const version = (answer as { protocolVersion: string }).protocolVersion;
  if (!SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
    return `${who} answered initialize with protocol version "${version}", which MCPlexer does not support (it supports ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}) — use a release of the server that speaks one of these`;
  }
  return undefined;
}

/** A JSON-RPC error to initialize; the spec's "Unsupported protocol version" error carries what the server supports. */
function describeRefusal(error: ProtocolError, who: string): string {
  const data = error.data as { supported?: unknown; requested?: unknown } | undefined;
  if (Array.isArray(data?.supported)) {
    return `${who} does not support protocol version "${String(data.requested)}" that MCPlexer offered (it supports ${data.supported.map(String).join(', ')}; MCPlexer supports ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')}) — use a release of the server that speaks one of MCPlexer's versions`;
  }
  return `${who} answered initialize with an error: ${error.message} (JSON-RPC error ${error.code}) — the server refused to start a session; see its message and stderr`;
}

/** What is missing or mistyped in an initialize result, by field; empty when its shape is right. */
function resultProblems(answer: unknown): string[] {
  if (!isObject(answer)) return [`the result is ${answer === null ? 'null' : Array.isArray(answer) ? 'an array' : typeof answer}, not an object`];
  const problems: string[] = [];
  if (typeof answer.protocolVersion !== 'string') problems.push(fieldProblem('protocolVersion', answer.protocolVersion, 'a string'));
  if (!isObject(answer.capabilities)) problems.push(fieldProblem('capabilities', answer.capabilities, 'an object'));
  const info = answer.serverInfo;
  if (!isObject(info)) problems.push(fieldProblem('serverInfo', info, 'an object with name and version'));
  else {
    if (typeof info.name !== 'string') problems.push(fieldProblem('serverInfo.name', info.name, 'a string'));
    if (typeof info.version !== 'string') problems.push(fieldProblem('serverInfo.version', info.version, 'a string'));
  }
  return problems;
}

function fieldProblem(field: string, value: unknown, expected: string): string {
  return value === undefined ? `${field} is missing (expected ${expected})` : `${field} is ${JSON.stringify(value)} (expected ${expected})`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The SDK's validation message on one line (it embeds its schema issues as indented JSON). */
function sdkExcerpt(error: SdkError): string {
  const flat = error.message.replace(/\s+/g, ' ');
  return flat.length > SDK_EXCERPT ? `${flat.slice(0, SDK_EXCERPT)}…` : flat;
}
