/**
 * Drives `calls` tools/calls of the chaos server's `work` tool (test/fixtures/chaos-server.mjs)
 * through `sessions` real MCP sessions at once (v2 SDK clients over Streamable HTTP), each session
 * making its share one after another: session s calls n = from + s, from + s + sessions, …
 * `mode(n)`, when given, is sent as the call's `mode` (the chaos server then ignores n's own
 * selection). Every call's outcome is kept, by n. A call that gets no answer within `answerWithinMs` (the
 * client's own timeout) is `unanswered`: the fault the suite looks for.
 */
import { SdkError, type Client } from '@modelcontextprotocol/client';
import { connectHttp, type GatewayAddress } from '../../helpers/mcp.js';

export interface CallOutcome {
  n: number;
  status: 'success' | 'error' | 'unanswered';
  /** The gateway's error code (`error.data.code`), for an error. */
  code?: string;
  /** The JSON-RPC error code, for an error. */
  rpcCode?: number;
  /** The error message, or the result's first text. */
  message: string;
  ms: number;
}

export async function driveCalls(
  gateway: GatewayAddress,
  options: { tool: string; sessions: number; calls: number; answerWithinMs: number; mode?: (n: number) => string | undefined; from?: number },
): Promise<CallOutcome[]> {
  const clients: Client[] = [];
  for (let s = 0; s < options.sessions; s++) clients.push(await connectHttp(gateway, { name: `chaos-load-${s}` }));
  const outcomes: CallOutcome[] = new Array(options.calls);
  try {
    await Promise.all(
      clients.map(async (client, s) => {
        for (let i = s; i < options.calls; i += options.sessions) {
          const n = (options.from ?? 0) + i;
          outcomes[i] = await oneCall(client, options.tool, n, options.mode?.(n), options.answerWithinMs);
        }
      }),
    );
  } finally {
    for (const client of clients) await closeSession(client);
  }
  return outcomes;
}

async function oneCall(client: Client, tool: string, n: number, mode: string | undefined, answerWithinMs: number): Promise<CallOutcome> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const result = (await client.callTool({ name: tool, arguments: mode === undefined ? { n } : { n, mode } }, { timeout: answerWithinMs })) as {
      content?: Array<{ text?: string }>;
      isError?: boolean;
    };
    const message = result.content?.[0]?.text ?? '';
    return result.isError ? { n, status: 'error', code: 'tool_error', message, ms: ms() } : { n, status: 'success', message, ms: ms() };
  } catch (error) {
    // The SDK client's own timeout (or a broken transport): the gateway did not answer.
    if (error instanceof SdkError) return { n, status: 'unanswered', message: `${error.code}: ${error.message}`, ms: ms() };
    const { code, message, data } = error as { code?: unknown; message?: unknown; data?: { code?: unknown } };
    return { n, status: 'error', code: data?.code === undefined ? undefined : String(data.code), rpcCode: Number(code), message: String(message), ms: ms() };
  }
}

/** Ends a session as a client should (DELETE /mcp), then closes the client. */
async function closeSession(client: Client): Promise<void> {
  const transport = client.transport as { terminateSession?: () => Promise<void> } | undefined;
  await transport?.terminateSession?.().catch(() => undefined); // a session the gateway already ended: nothing to end
  await client.close();
}
