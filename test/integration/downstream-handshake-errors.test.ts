// A downstream that answers `initialize` wrongly: the error names what it answered (an unsupported
// protocol version with the versions MCPlexer supports, a result missing required fields, a JSON-RPC
// error), never the SIGTERM the gateway sent it afterwards. Real child processes (the raw fixture)
// and a real HTTP server; the first case also end to end through /mcp and /health.
import type { Client } from '@modelcontextprotocol/client';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/client';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DownstreamPool } from '../../src/gateway/downstream/index.js';
import { makeServer, rawServer } from '../fixtures/downstream-servers.js';
import { startSessionServer, type SessionServer } from '../fixtures/http-session-server.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { connectHttp, rawBody, rejection } from '../helpers/mcp.js';

const SUPPORTED = SUPPORTED_PROTOCOL_VERSIONS.join(', ');
const pool = new DownstreamPool({ startTimeoutMs: 10_000 });
afterAll(() => pool.stopAll({ drainMs: 0 }));

/** The error of a call to a server that cannot start. */
async function startError(server: ReturnType<typeof makeServer>): Promise<{ code: string; message: string }> {
  return pool.callTool(server, null, { name: 'echo', arguments: { message: 'x' } }, { timeoutMs: 10_000 }).then(
    () => {
      throw new Error('expected the start to fail');
    },
    (error: { code: string; message: string }) => error,
  );
}

describe('a stdio server that answers initialize wrongly', () => {
  it('with an unsupported protocol version: names the version and what is supported', async () => {
    const error = await startError(rawServer(['--init-version=1999-01-01'], { name: 'old-proto' }));
    expect(error.code).toBe('downstream_unavailable');
    expect(error.message).toMatch(
      new RegExp(
        `^downstream server "old-proto" answered initialize with protocol version "1999-01-01", which MCPlexer does not support \\(it supports ${SUPPORTED}\\) — use a release of the server that speaks one of these; stderr:\\nraw server \\d+ starting$`,
      ),
    );
    expect(error.message).not.toMatch(/SIGTERM|did not respond/);
  });

  it('with a version from the future: the same', async () => {
    const error = await startError(rawServer(['--init-version=2099-12-31'], { name: 'new-proto' }));
    expect(error.message).toContain(`answered initialize with protocol version "2099-12-31", which MCPlexer does not support (it supports ${SUPPORTED})`);
  });

  it('with a result missing capabilities and serverInfo: names each missing field', async () => {
    const error = await startError(rawServer(['--init-omit=capabilities,serverInfo'], { name: 'no-caps' }));
    expect(error.message).toMatch(
      /^downstream server "no-caps" answered initialize with an invalid result: capabilities is missing \(expected an object\); serverInfo is missing \(expected an object with name and version\) — the server does not follow the MCP initialize handshake/,
    );
    expect(error.message).not.toMatch(/SIGTERM|did not respond/);
  });

  it('with a result missing protocolVersion: names it', async () => {
    const error = await startError(rawServer(['--init-omit=protocolVersion'], { name: 'no-version' }));
    expect(error.message).toMatch(
      /^downstream server "no-version" answered initialize with an invalid result: protocolVersion is missing \(expected a string\) — /,
    );
  });

  it('with a JSON-RPC error: quotes its message and code', async () => {
    const error = await startError(rawServer(['--init-error'], { name: 'refuses' }));
    expect(error.message).toMatch(
      /^downstream server "refuses" answered initialize with an error: license check failed: no seat available \(JSON-RPC error -32603\) — the server refused to start a session; see its message and stderr; stderr:\nraw server \d+ starting$/,
    );
  });

  it('a server that exits by itself before answering is still reported by its exit', async () => {
    const error = await startError(rawServer(['--exit-on-start=3'], { name: 'exits' }));
    expect(error.message).toMatch(/^downstream server "exits" started but did not respond \(exited with code 3\)/);
  });
});

describe('an HTTP server that answers initialize with an unsupported protocol version', () => {
  let http: SessionServer | undefined;
  afterEach(() => http?.stop());

  it('names the version and what is supported', async () => {
    http = await startSessionServer({ initVersion: '1999-01-01' });
    const error = await startError(makeServer({ name: 'old-http', transport: 'http', url: http.url }));
    expect(error).toMatchObject({
      code: 'downstream_unavailable',
      message: `downstream server "old-http" answered initialize with protocol version "1999-01-01", which MCPlexer does not support (it supports ${SUPPORTED}) — use a release of the server that speaks one of these`,
    });
    expect(http.initializes).toBe(1); // not taken for "no Streamable HTTP here": no SSE fallback, no retry
  });
});

describe('through the gateway', () => {
  let t: TestGateway | undefined;
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close();
    await t?.close();
    client = t = undefined;
  });

  it('a client call and /health name the unsupported version', async () => {
    t = await startTestGateway();
    await t.api('POST', '/downstreams', rawBody('oldp', ['--init-version=1999-01-01'], { name: 'Old Proto' }));
    client = await connectHttp(t);
    const error = await rejection(client.callTool({ name: 'oldp__echo', arguments: { message: 'x' } }));
    expect(error.data).toEqual({ code: 'downstream_unavailable' });
    expect(error.message).toContain(
      `downstream server "Old Proto" answered initialize with protocol version "1999-01-01", which MCPlexer does not support (it supports ${SUPPORTED})`,
    );
    const health = (await t.api('GET', '/health')).body.downstreams[0];
    expect(health.state).toBe('failed');
    expect(health.last_error).toContain('answered initialize with protocol version "1999-01-01"');
    expect(health.last_error).not.toContain('SIGTERM');
  });
});
