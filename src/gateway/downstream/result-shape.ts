import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/client';
import { MALFORMED_RESPONSE } from './stdio-transport.js';

/**
 * What is wrong with a `tools/call` result, or undefined when it has the shape MCP gives it
 * (2025-11-25, `CallToolResult`: `content` an array, `isError` a boolean and `structuredContent` an
 * object when present; a task-augmented call's `CreateTaskResult` carries `task` instead). A few
 * type checks, no schema: relayed results are otherwise passed on as sent, and a client's own
 * validation of a malformed one failed with raw zod issues naming no server, while the audit said
 * `success` (a chaos trial).
 */
export function callToolResultProblem(result: unknown): string | undefined {
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return 'the result is not an object';
  const r = result as Record<string, unknown>;
  if (typeof r.task === 'object' && r.task !== null) return undefined;
  if (!Array.isArray(r.content)) return r.content === undefined ? 'it has no content array' : 'its content is not an array';
  if (r.isError !== undefined && typeof r.isError !== 'boolean') return 'its isError is not a boolean';
  if (r.structuredContent !== undefined && (typeof r.structuredContent !== 'object' || r.structuredContent === null || Array.isArray(r.structuredContent)))
    return 'its structuredContent is not an object';
  return undefined;
}

/** The error a malformed result fails its call with (`describeCallError` words it, naming the server). */
export function malformedResult(problem: string, result: unknown): ProtocolError {
  const text = JSON.stringify(result)?.slice(0, 200) ?? String(result);
  return new ProtocolError(ProtocolErrorCode.InternalError, `answered with a malformed MCP result (${problem}): ${text}`, { mcplexer: MALFORMED_RESPONSE });
}
