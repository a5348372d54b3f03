import { GatewayError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { nowMs, type CallRecord, type CallRecordSink } from '../call-record.js';

type Result = Record<string, unknown>;

/** Refusals of a policy before the downstream: `blocked` in the record. */
const BLOCKING = new Set<string>(['denied', 'no_route', 'justification_required', 'approval_denied', 'approval_timeout']);

/**
 * Whether a failure before the invocation is a policy's refusal (`blocked`). `cancelled` is one
 * only for a call that waited for approval; a client that went away while its call waited for
 * anything else (a downstream starting, a free slot) ended an `error`, as it does mid-call.
 */
function blocking(record: CallRecord, code: string): boolean {
  if (record.invoked) return false;
  return BLOCKING.has(code) || (code === 'cancelled' && record.approvalId !== undefined);
}

/**
 * Step 6, success: settles the record with the result the client gets (a tool result with
 * `isError: true` is an `error` with code `tool_error` and its first text as the message) and
 * hands it to the sink. Audit and metrics join here, as sinks.
 *
 * @returns `result`, unchanged
 */
export function recordResult(sink: CallRecordSink, logger: Logger | undefined, record: CallRecord, result: Result): Result {
  record.result = result;
  if (result.isError === true) {
    record.status = 'error';
    record.errorCode = 'tool_error';
    record.errorMessage = firstText(result);
  }
  emit(sink, logger, record);
  return result;
}

/**
 * Step 6, failure: settles the record with the error (`blocked` for a policy refusal before the
 * invocation, `error` otherwise) and hands it to the sink.
 *
 * @returns `error`, unchanged, for the caller to throw
 */
export function recordError(sink: CallRecordSink, logger: Logger | undefined, record: CallRecord, error: unknown): unknown {
  const code = errorCodeOf(error);
  record.status = blocking(record, code) ? 'blocked' : 'error';
  record.errorCode = code;
  record.errorMessage = error instanceof Error ? error.message : String(error);
  emit(sink, logger, record);
  return error;
}

/**
 * Step 6, a refusal answered as a tool result (approval denied, timed out, justification
 * missing: the original's `isError: true` results): `blocked` with the refusal's code, the result
 * the client gets, handed to the sink.
 *
 * @returns the tool result with `isError: true` and the refusal's text
 */
export function recordRefusal(sink: CallRecordSink, logger: Logger | undefined, record: CallRecord, error: GatewayError): Result {
  const result: Result = { content: [{ type: 'text', text: error.message }], isError: true };
  record.result = result;
  record.status = 'blocked';
  record.errorCode = error.code;
  record.errorMessage = error.message;
  emit(sink, logger, record);
  return result;
}

function emit(sink: CallRecordSink, logger: Logger | undefined, record: CallRecord): void {
  record.latencyMs = nowMs() - record.startedAt;
  try {
    sink.record(record);
  } catch (error) {
    // A sink must not throw; if one does, the call's own answer still goes out.
    logger?.error('call record sink failed', { method: record.method, name: record.name, reason: error instanceof Error ? error.message : String(error) });
  }
}

/** The gateway code, or for a downstream's own JSON-RPC error its numeric code as a string. */
function errorCodeOf(error: unknown): string {
  if (!(error instanceof GatewayError)) return 'internal';
  const cause = error.cause as { code?: unknown } | undefined;
  if (error.code === 'downstream_error' && typeof cause?.code === 'number') return String(cause.code);
  return error.code;
}

function firstText(result: Result): string | undefined {
  const content = result.content;
  if (!Array.isArray(content)) return undefined;
  for (const item of content as Array<{ type?: unknown; text?: unknown }>) if (item?.type === 'text' && typeof item.text === 'string') return item.text;
  return undefined;
}
