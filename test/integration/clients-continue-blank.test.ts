/**
 * Install into Continue when its config.yaml exists but holds nothing (0 bytes, whitespace, only
 * comments), through a real gateway's REST API on real files: the file gets Continue's required
 * top-level fields (`name`, `version`, as a missing file does) and our entry, the comments stay,
 * the `.bak` keeps the bytes as they were, and uninstall leaves a file Continue accepts. Before,
 * such a file got `mcpServers` alone, without the fields Continue requires.
 */
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyCliToDataDir } from '../../src/shared/node/index.js';
import { fakeUser, type FakeUser } from '../helpers/client-dirs.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { CLI } from '../helpers/mcp.js';

let user: FakeUser;
let t: TestGateway;

beforeAll(async () => {
  user = fakeUser();
  t = await startTestGateway({ env: user.env });
  // Continue's entry runs the stdio bridge: its stable copy, as the extension or `mcplexer install` makes it.
  await copyCliToDataDir(CLI, t.home);
}, 30_000);
afterAll(async () => {
  await t?.close();
  user?.remove();
});

/** What Continue's config.yaml must hold (docs.continue.dev/reference: `name` and `version` are required). */
function expectContinueAccepts(text: string): Record<string, unknown> {
  const config = parse(text) as Record<string, unknown>;
  expect(config).toMatchObject({ name: expect.any(String), version: expect.any(String) });
  return config;
}

const BLANK: Record<string, string> = {
  '0 bytes': '',
  whitespace: '  \n\t\n\n',
  comments: '# my Continue config\n# (filled in later)\n',
  'a comment without a line end': '# nothing yet',
  'comments, CRLF': '# written on Windows\r\n',
};

describe('Continue: an existing config.yaml that holds nothing', () => {
  for (const [kind, original] of Object.entries(BLANK)) {
    it(`${kind}: install writes the required fields and our entry; uninstall leaves a valid file`, async () => {
      const file = user.detect('continue');
      writeFileSync(file, original);
      // Not changed a moment ago: an empty file that was is taken for a client saving it, and refused.
      const hourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(file, hourAgo, hourAgo);

      const preview = await t.client.installPreview('continue');
      expect(await t.client.installClient('continue')).toMatchObject({ id: 'continue', configured: true, stale: false });
      const installed = readFileSync(file, 'utf8');
      expect(installed).toBe(preview.content);
      expect(installed.startsWith(original)).toBe(true); // what it held (comments) stays, first
      if (original.includes('\r\n')) expect(installed.replace(/\r\n/g, '')).not.toContain('\n');
      const config = expectContinueAccepts(installed);
      expect(config.mcpServers).toEqual([expect.objectContaining({ name: 'mcplexer', type: 'stdio', args: expect.arrayContaining(['connect']) })]);
      expect(readFileSync(`${file}.bak`, 'utf8')).toBe(original);

      expect(await t.client.uninstallClient('continue')).toMatchObject({ configured: false });
      const after = readFileSync(file, 'utf8');
      expect(after.startsWith(original)).toBe(true);
      expect(expectContinueAccepts(after).mcpServers).toBeUndefined();
      expect(readFileSync(`${file}.bak`, 'utf8')).toBe(original);
    });
  }
});
