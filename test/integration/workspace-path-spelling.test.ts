// A directory has many spellings (`x/../secret`, `./secret`, `//secret`, a symbolic link to it),
// and every one of them must get the rules of the workspace whose files it names: a spelling that
// routed as another place lifted a workspace's deny rules (a security trial: `ws/x/../secret` and
// a link to the workspace were allowed what `ws/secret` was denied). Real gateway, real
// server-everything, real directories and symbolic links; through /mcp, /visibility and dry-run.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { addServer, connectHttp, everythingStdioBody, rejection, text } from '../helpers/mcp.js';

let t: TestGateway;
let base: string;
let root: string;
let other: string;
let linked: string;
const ids: Record<string, string> = {};
const open: Client[] = [];

async function from(dir: string): Promise<Client> {
  const client = await connectHttp(t, { headers: { 'X-MCPlexer-Workspace': dir } });
  open.push(client);
  return client;
}

async function expectSecretDenied(dir: string): Promise<void> {
  const client = await from(dir);
  expect((await client.listTools()).tools.map((tool) => tool.name)).not.toContain('ev__get-sum');
  const error = await rejection(client.callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 2 } }));
  expect(error.code, dir).toBe(-32003);
  expect(error.message).toContain(`rule ${ids.secret}`);
  expect(text(await client.callTool({ name: 'ev__echo', arguments: { message: 'still here' } }))).toBe('Echo: still here');
}

beforeAll(async () => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'mcplexer-spelling-')));
  root = path.join(base, 'ws');
  other = path.join(base, 'wsb');
  linked = path.join(base, 'real-linked');
  for (const dir of [
    path.join(root, 'secret'),
    path.join(root, 'x'),
    path.join(root, 'pub'),
    other,
    path.join(linked, 'src'),
    path.join(base, 'aa-longer-root'),
    path.join(base, 'bb'),
  ])
    mkdirSync(dir, { recursive: true });
  symlinkSync(root, path.join(base, 'link-to-ws'));
  symlinkSync(linked, path.join(base, 'link-as-root'));
  // Links inside a workspace: to its denied secret/, and up out of it and back in.
  symlinkSync('secret', path.join(root, 'alias'));
  symlinkSync('../..', path.join(root, 'pub', 'up'));
  // A link from one workspace (with the longer root) into another.
  symlinkSync(path.join(base, 'bb'), path.join(base, 'aa-longer-root', 'to-bb'));
  t = await startTestGateway();
  await addServer(t, everythingStdioBody('ev'));
  ids.ws = (await t.api('POST', '/workspaces', { name: 'ws', root_path: root })).body.id;
  ids.wsb = (await t.api('POST', '/workspaces', { name: 'wsb', root_path: other })).body.id;
  // A workspace whose root is written through a symbolic link: a client at the real path is in it.
  ids.linked = (await t.api('POST', '/workspaces', { name: 'linked', root_path: path.join(base, 'link-as-root') })).body.id;
  ids.secret = (await t.api('POST', '/routes', { workspace_id: ids.ws, tool_pattern: 'ev__get-sum', path_glob: 'secret/**', policy: 'deny' })).body.id;
  ids.tiny = (await t.api('POST', '/routes', { workspace_id: ids.linked, tool_pattern: 'ev__get-tiny-image', policy: 'deny' })).body.id;
  ids.aa = (await t.api('POST', '/workspaces', { name: 'aa', root_path: path.join(base, 'aa-longer-root') })).body.id;
  ids.bb = (await t.api('POST', '/workspaces', { name: 'bb', root_path: path.join(base, 'bb') })).body.id;
  await t.api('POST', '/routes', { workspace_id: ids.aa, tool_pattern: 'ev__*', policy: 'allow' });
  ids.bbDeny = (await t.api('POST', '/routes', { workspace_id: ids.bb, tool_pattern: 'ev__get-sum', policy: 'deny' })).body.id;
  expect(Object.values(ids).every(Boolean)).toBe(true);
}, 60_000);
afterEach(async () => {
  await Promise.all(open.splice(0).map((client) => client.close()));
});
afterAll(async () => {
  await t?.close();
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('every spelling of a directory gets its workspace rules', () => {
  it('on /mcp: ., .., repeated / and a link to the workspace are denied what the plain path is', async () => {
    for (const dir of [
      path.join(root, 'secret'),
      `${root}/x/../secret`,
      `${root}/./secret`,
      `${root}//secret`,
      `${root}/secret/deeper/..`,
      `${base}/link-to-ws/secret`,
      `${base}/wsb/../ws/secret`,
    ])
      await expectSecretDenied(dir);
  });

  it('on /mcp: a link inside the workspace to its denied folder, or up and back in, is denied as the folder is (a trial: allowed)', async () => {
    for (const dir of [path.join(root, 'alias'), path.join(root, 'pub', 'up', 'ws', 'secret')]) await expectSecretDenied(dir);
  });

  it("on /mcp: a link from one workspace into another gets the other's deny, whichever root is longer (a trial: the longer root's allow won)", async () => {
    for (const dir of [path.join(base, 'bb'), path.join(base, 'aa-longer-root', 'to-bb')]) {
      const error = await rejection((await from(dir)).callTool({ name: 'ev__get-sum', arguments: { a: 1, b: 2 } }));
      expect(error.code, dir).toBe(-32003);
      expect(error.message).toContain(`rule ${ids.bbDeny}`);
    }
  });

  it('a link pointed elsewhere is routed by its new target within a second, with no config change (a trial: until the next config write)', async () => {
    const flip = path.join(base, 'flip');
    symlinkSync(path.join(root, 'x'), flip);
    const before = await from(flip);
    // Listed too: the tool list of that directory is kept per view, and must follow the link as routing does.
    expect((await before.listTools()).tools.map((tool) => tool.name)).toContain('ev__get-sum');
    expect(text(await before.callTool({ name: 'ev__get-sum', arguments: { a: 20, b: 22 } }))).toContain('42');
    rmSync(flip);
    symlinkSync(path.join(root, 'secret'), flip);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expectSecretDenied(flip);
  });

  it('on /mcp: a spelling of a place outside the rule is still allowed (nothing is over-denied)', async () => {
    for (const dir of [`${root}/secret/../x`, `${base}/link-to-ws/x`]) {
      const client = await from(dir);
      expect(text(await client.callTool({ name: 'ev__get-sum', arguments: { a: 20, b: 22 } })), dir).toContain('42');
    }
  });

  it('on /mcp: a root written through a link holds a client at the real path, and one at the link', async () => {
    for (const dir of [path.join(linked, 'src'), path.join(base, 'link-as-root', 'src')]) {
      const error = await rejection((await from(dir)).callTool({ name: 'ev__get-tiny-image', arguments: {} }));
      expect(error.code, dir).toBe(-32003);
      expect(error.message).toContain(`rule ${ids.tiny}`);
    }
  });

  it('GET /visibility picks the workspace the spelling names', async () => {
    const cases: Array<[string, string]> = [
      [`${root}/../wsb`, ids.wsb!],
      [`${base}//wsb`, ids.wsb!],
      [`${base}/link-to-ws`, ids.ws!],
      [path.join(linked, 'src'), ids.linked!],
    ];
    for (const [dir, id] of cases) {
      const body = (await t.api('GET', `/visibility?dir=${encodeURIComponent(dir)}`)).body;
      expect(body.workspace_ids, dir).toEqual([id]);
    }
  });

  it('dry-run: a subpath spelt with ./ routes as the plain one', async () => {
    for (const subpath of ['secret', './secret', 'secret/./a', 'secret//a']) {
      const body = (await t.api('POST', '/dry-run', { workspace_id: ids.ws, tool_name: 'ev__get-sum', subpath })).body;
      expect(body, subpath).toMatchObject({ matched: true, policy: 'deny', matched_rule: { id: ids.secret } });
    }
  });
});
