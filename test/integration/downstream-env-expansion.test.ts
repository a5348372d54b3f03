// Fault 7 of issue 14: `${VAR}` in a downstream's `env` or `headers` expanded the variables the
// gateway withholds from its children (MCPLEXER_*, e.g. the client tokens in MCPLEXER_EXTRA_TOKENS,
// and ELECTRON_RUN_AS_NODE), handing them to a child process or a remote URL. Expansion now sees
// only the child-visible env, for stdio env and HTTP headers alike.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, rawBody, text } from '../helpers/mcp.js';

const CLIENT_TOKEN = 'extra-client-token-0123456789abcdef';
const GATEWAY_ENV = {
  MCPLEXER_EXTRA_TOKENS: CLIENT_TOKEN,
  MCPLEXER_TRUSTED_ORIGINS: 'http://internal.example',
  ELECTRON_RUN_AS_NODE: '1',
  VISIBLE_VAR: 'visible-value',
  PATH: process.env.PATH,
};
const REFERENCES = {
  A: '${MCPLEXER_EXTRA_TOKENS}',
  B: 'x${ELECTRON_RUN_AS_NODE}y',
  C: 'origin=${MCPLEXER_TRUSTED_ORIGINS}',
  D: '${VISIBLE_VAR}',
};

let t: TestGateway;
let client: Client;
let remote: Server;
let remoteUrl: string;
const seen: IncomingHttpHeaders[] = [];
beforeAll(async () => {
  t = await startTestGateway({ env: GATEWAY_ENV });
  client = await connectHttp(t);
  // A remote "server" that records what the gateway sends and refuses it.
  remote = createServer((req, res) => {
    seen.push(req.headers);
    res.writeHead(401, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
  const address = remote.address();
  remoteUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/mcp`;
});
afterAll(async () => {
  await client?.close();
  await t?.close();
  await new Promise((resolve) => remote?.close(resolve));
});

describe('${VAR} expansion sees only what a child may see', () => {
  it('in a stdio server env: withheld variables expand to empty, visible ones to their value', async () => {
    await addServer(t, rawBody('envx', [], { env: REFERENCES }));
    const result = JSON.parse(text(await client.callTool({ name: 'envx__env', arguments: { names: ['A', 'B', 'C', 'D', 'MCPLEXER_EXTRA_TOKENS'] } })));
    expect(result).toEqual({ A: '', B: 'xy', C: 'origin=', D: 'visible-value', MCPLEXER_EXTRA_TOKENS: null });
  });

  it('in an HTTP server headers: withheld variables never reach the remote URL', async () => {
    const headers = { 'X-A': REFERENCES.A, 'X-B': REFERENCES.B, 'X-C': REFERENCES.C, 'X-D': REFERENCES.D };
    const server = await addServer(t, { name: 'remote', namespace: 'remote', transport: 'http', url: remoteUrl, headers });
    seen.length = 0;
    expect((await t.api('POST', `/downstreams/${server.id}/discover`)).status).toBeGreaterThanOrEqual(400);
    expect(seen.length).toBeGreaterThan(0);
    for (const received of seen) {
      expect(received['x-a'] ?? '').toBe('');
      expect(received['x-b']).toBe('xy');
      expect(received['x-c']).toBe('origin=');
      expect(received['x-d']).toBe('visible-value');
      expect(JSON.stringify(received)).not.toContain(CLIENT_TOKEN);
      expect(JSON.stringify(received)).not.toContain('internal.example');
    }
  });
});
