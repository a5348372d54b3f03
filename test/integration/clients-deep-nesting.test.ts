/**
 * A client config file nested far too deeply (a trial's LM Studio mcp.json: 200,000 `[` deep in one
 * entry's args): jsonc-parser overflowed the stack and the gateway answered 500 "internal error"
 * for that client and for `GET /mcp-install/status`, so every client's install and import failed.
 * YAML's parser, given such a file twice, killed the whole process. Now such a file is refused as
 * any unparseable file is (422, the status's `error`), naming the limit, and nothing is written;
 * every other client is listed as before. JSON, TOML and YAML, real files in a temp HOME, a real
 * gateway over loopback; plus the installer alone for uninstall.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeUser, type FakeUser, refusal, testContext, testInstaller } from '../helpers/client-dirs.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';

const DEEP = 200_000;
/** The documented limit (MAX_CONFIG_DEPTH in src/gateway/clients/format.ts), written out: the test pins the number users are told. */
const MAX_CONFIG_DEPTH = 64;
const nest = (open: string, close: string, depth: number, inner = '') => open.repeat(depth) + inner + close.repeat(depth);

/** Per format: a file `depth` levels deep (its top level, mcpServers, the entry, then `args`' arrays). */
const FILES = {
  lm_studio: (depth: number) => `{"mcpServers":{"deep":{"command":"x","args":${nest('[', ']', depth - 3)}}}}`,
  codex: (depth: number) => `model = "o3"\n\n[mcp_servers.deep]\ncommand = "x"\nargs = ${nest('[', ']', depth - 3)}\n`,
  continue: (depth: number) => `name: local\nversion: 1.0.0\nmcpServers:\n  - name: deep\n    command: x\n    args: ${nest('[', ']', depth - 3)}\n`,
} as const;
type Id = keyof typeof FILES;
const IDS = Object.keys(FILES) as Id[];

let user: FakeUser;
let t: TestGateway;

beforeAll(async () => {
  user = fakeUser();
  // Two clients with ordinary files, which must stay readable beside the deep ones.
  user.fixture('cursor', 'other');
  user.fixture('claude_desktop', 'other');
  t = await startTestGateway({ env: user.env });
});
afterAll(async () => {
  await t?.close();
  user?.remove();
});

function expectDepthRefusal(message: string | undefined, file: string): void {
  expect(message).toContain(file);
  expect(message).toContain(`nested too deeply (more than ${MAX_CONFIG_DEPTH} levels`);
  expect(message).toContain('remove the file');
}

describe.each(IDS)('%s: a file nested 200,000 deep', (id) => {
  it('status answers 200 with this client unreadable and the others intact; preview, install, servers and import answer 422; the file is untouched', async () => {
    const file = user.detect(id);
    const text = FILES[id](DEEP);
    writeFileSync(file, text);

    const status = await t.api('GET', '/mcp-install/status');
    expect(status.status).toBe(200);
    const state = status.body.clients.find((c: { id: string }) => c.id === id);
    expectDepthRefusal(state.error, file);
    for (const other of ['cursor', 'claude_desktop']) {
      const intact = status.body.clients.find((c: { id: string }) => c.id === other);
      expect(intact).toMatchObject({ detected: true, configured: false });
      expect(intact.error).toBeUndefined();
    }

    for (const [method, path] of [
      ['GET', `/mcp-install/${id}/preview`],
      ['GET', `/mcp-install/${id}/preview?action=uninstall`],
      ['POST', `/mcp-install/${id}/install`],
      ['GET', `/mcp-install/${id}/servers`],
      ['POST', `/mcp-install/${id}/import`],
    ] as const) {
      const res = await t.api(method, path);
      expect(res.status, `${method} ${path}`).toBe(422);
      expectDepthRefusal(res.body.error.message, file);
    }
    expect(readFileSync(file, 'utf8')).toBe(text);

    // And once more: the gateway is still up (YAML's parser once died on the second read).
    expect((await t.api('GET', '/mcp-install/status')).status).toBe(200);
    expect((await t.api('POST', '/mcp-install/cursor/install')).status).toBe(200);
    expect((await t.api('POST', '/mcp-install/cursor/uninstall')).status).toBe(200);
  });
});

describe.each(IDS)('%s: at the limit and just past it', (id) => {
  it(`${MAX_CONFIG_DEPTH} levels parse (install and uninstall give the bytes back); ${MAX_CONFIG_DEPTH + 1} are refused, uninstall too`, () => {
    const local = fakeUser();
    try {
      const context = testContext(local);
      const installer = testInstaller(local, () => context);
      const file = local.detect(id);
      const atLimit = FILES[id](MAX_CONFIG_DEPTH);
      writeFileSync(file, atLimit);
      expect(installer.status().clients.find((c) => c.id === id)!.error).toBeUndefined();
      expect(Object.keys(installer.entriesOf(id).entries)).toEqual(['deep']);
      installer.install(id);
      installer.uninstall(id);
      expect(readFileSync(file, 'utf8')).toBe(atLimit);

      const past = FILES[id](MAX_CONFIG_DEPTH + 1);
      writeFileSync(file, past);
      for (const run of [() => installer.preview(id), () => installer.install(id), () => installer.uninstall(id), () => installer.entriesOf(id)]) {
        const error = refusal(run);
        expect(error.code).toBe('unprocessable');
        expectDepthRefusal(error.message, file);
      }
      expect(readFileSync(file, 'utf8')).toBe(past);
    } finally {
      local.remove();
    }
  });
});

describe('nesting without brackets', () => {
  it('TOML dotted keys and YAML block indentation deeper than the limit are refused, not walked', () => {
    const local = fakeUser();
    try {
      const context = testContext(local);
      const installer = testInstaller(local, () => context);
      const codex = local.detect('codex');
      writeFileSync(codex, `[mcp_servers.deep]\ncommand = "x"\nenv${'.a'.repeat(DEEP)} = 1\n`);
      const cont = local.detect('continue');
      writeFileSync(
        cont,
        `name: local\nversion: 1.0.0\nmcpServers:\n  - name: deep\n    command: x\n    args:\n${'      - '.repeat(1) + '- '.repeat(2000)}x\n`,
      );
      const states = installer.status().clients;
      expectDepthRefusal(states.find((c) => c.id === 'codex')!.error, codex);
      expectDepthRefusal(states.find((c) => c.id === 'continue')!.error, cont);
    } finally {
      local.remove();
    }
  });
});
