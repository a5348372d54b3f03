/**
 * Shared pieces of the routing replay and the ORIGINAL.md tests: real downstreams made from
 * `spec-tools-server.mjs` (their tool list is a JSON file the test rewrites), and real MCP
 * clients on the gateway's `/mcp` with a chosen directory, counting `tools/list_changed`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, ProtocolError, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { TestGateway } from './gateway.js';

export const SPEC_SERVER = fileURLToPath(new URL('../fixtures/spec-tools-server.mjs', import.meta.url));

export type SpecTool = string | Record<string, unknown>;

/** A temp directory for spec files (and any other scratch files) of one test file. */
export function scratchDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'mcplexer-orig-'));
}

/** Writes a spec file: a list of tools, or `{tools, prompts}`. */
export function writeSpec(file: string, tools: readonly SpecTool[] | { tools: readonly SpecTool[]; prompts?: readonly SpecTool[] }): void {
  writeFileSync(file, JSON.stringify(tools));
}

/**
 * The REST body of a stdio server running the spec fixture (`label` names it in answers); the
 * spec file is written first. Extra fields (id, discovery, expose_unprefixed, …) go as given.
 */
export function specServerBody(dir: string, label: string, tools: Parameters<typeof writeSpec>[1], extra: Record<string, unknown> = {}) {
  const spec = path.join(dir, `${label}.json`);
  writeSpec(spec, tools);
  return { name: label, namespace: label, command: process.execPath, args: [SPEC_SERVER, `--label=${label}`, `--spec=${spec}`], ...extra };
}

/** Creates a spec-fixture server over REST and discovers it; answers the discovered server. */
export async function addSpecServer(t: TestGateway, dir: string, label: string, tools: Parameters<typeof writeSpec>[1], extra: Record<string, unknown> = {}) {
  const created = await t.api('POST', '/downstreams', specServerBody(dir, label, tools, extra));
  if (created.status !== 201) throw new Error(`creating ${label}: ${created.status} ${created.text}`);
  const discovered = await t.api('POST', `/downstreams/${created.body.id}/discover`);
  if (discovered.status !== 200) throw new Error(`discovering ${label}: ${discovered.status} ${discovered.text}`);
  return discovered.body;
}

export interface McpClient {
  client: Client;
  /** How many `notifications/tools/list_changed` this client has received. */
  toolsChanged(): number;
  /** Resolves once more than `seen` list_changed notifications have arrived. */
  nextToolsChange(seen: number): Promise<void>;
  toolNames(): Promise<string[]>;
  close(): Promise<void>;
}

/** A real 2025-era client on `/mcp`; `dir` is sent as `X-MCPlexer-Workspace`. */
export async function connectClient(t: TestGateway, options: { dir?: string; name?: string } = {}): Promise<McpClient> {
  const headers: Record<string, string> = { authorization: `Bearer ${t.token}` };
  if (options.dir) headers['x-mcplexer-workspace'] = options.dir;
  const client = new Client({ name: options.name ?? 'original-tests', version: '1.0.0' });
  let changes = 0;
  const waiters: Array<() => void> = [];
  client.setNotificationHandler('notifications/tools/list_changed', () => {
    changes += 1;
    for (const wake of waiters.splice(0)) wake();
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), { requestInit: { headers } }));
  return {
    client,
    toolsChanged: () => changes,
    nextToolsChange: (seen) =>
      new Promise<void>((resolve) => {
        const check = () => (changes > seen ? resolve() : waiters.push(check));
        check();
      }),
    toolNames: async () => (await client.listTools()).tools.map((tool) => tool.name),
    close: () => client.close(),
  };
}

/** The text of a tool result's first content item. */
export function resultText(result: unknown): string {
  return ((result as { content?: Array<{ text?: string }> }).content ?? [])[0]?.text ?? '';
}

/** What the spec fixture answered: which server, tool, arguments and auth scope the call reached. */
export function reached(result: unknown): { server: string; tool: string; args: Record<string, unknown>; scope: string | null } {
  return JSON.parse(resultText(result));
}

/** The JSON-RPC error a call failed with (or throws when it did not fail). */
export async function rpcError(call: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ProtocolError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected the call to fail with a JSON-RPC error');
}
