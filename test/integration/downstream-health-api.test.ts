import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const EVERYTHING = path.resolve('node_modules/@modelcontextprotocol/server-everything/dist/index.js');
let gateway: TestGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

describe('GET /downstreams/{id}/health', () => {
  it('reports stopped before use, ready with a pid after discovery, and 404 for an unknown id', async () => {
    gateway = await startTestGateway();
    const created = await gateway.api('POST', '/downstreams', {
      id: 'ev',
      name: 'everything',
      namespace: 'everything',
      command: process.execPath,
      args: [EVERYTHING, 'stdio'],
    });
    expect(created.status).toBe(201);
    const before = await gateway.api('GET', '/downstreams/ev/health');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ server_id: 'ev', name: 'everything', state: 'stopped' });
    expect((await gateway.api('POST', '/downstreams/ev/discover')).status).toBe(200);
    const after = await gateway.api('GET', '/downstreams/ev/health');
    expect(after.body.state).toBe('ready');
    expect(after.body.instances[0].pid).toBeGreaterThan(0);
    expect((await gateway.api('GET', '/downstreams/nope/health')).status).toBe(404);
  });

  it('says why a server failed, with the start hint', async () => {
    gateway = await startTestGateway();
    await gateway.api('POST', '/downstreams', { id: 'bad', name: 'bad', namespace: 'bad', command: 'mcplexer-no-such-command' });
    const discover = await gateway.api('POST', '/downstreams/bad/discover');
    expect(discover.status).toBe(502);
    expect(discover.body.error.message).toMatch(/failed to discover tools: .*failed to start.*PATH/);
    const health = await gateway.api('GET', '/downstreams/bad/health');
    expect(health.body.state).toBe('failed');
    expect(health.body.last_error).toMatch(/ensure the required command is installed/);
  });
});
