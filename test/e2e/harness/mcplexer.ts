/**
 * What the MCPlexer end-to-end files share on top of the generic harness: the .vsix `npm run package`
 * builds, the daemon as the extension left it in the isolated HOME's data dir (its lock, token and
 * REST API), and the palette's quick picks (VS Code's own `MCP: List Servers` included).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import type { CodeServer } from './code-server';
import { ROOT } from './paths';
import { waitFor } from './processes';

export const EXTENSION_ID = 'mcplexer.mcplexer';

/** Builds the .vsix a user gets (`npm run package`: esbuild, then vsce 3.9.2) and returns its path. */
export async function packageMcplexer(): Promise<string> {
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'scripts', 'package-vsix.mjs')], { cwd: ROOT, timeout: 120_000 });
  const { name, version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(ROOT, `${name}-${version}.vsix`);
}

export interface DaemonLock {
  pid: number;
  port: number;
  version: string;
}

export interface ApiAnswer<T = any> {
  status: number;
  body: T;
}

/** The daemon of a code-server run, seen from outside through the files the extension's daemon writes. */
export interface Daemon {
  dataDir: string;
  lock(): DaemonLock | undefined;
  token(): string;
  /** `/api/v1<route>` of the daemon the lock names, with the token. */
  api<T = any>(method: string, route: string, body?: unknown): Promise<ApiAnswer<T>>;
  /** Waits for a daemon answering health through the lock, other than `notPid`; returns its lock. */
  healthy(notPid?: number): Promise<DaemonLock>;
}

export function daemonOf(server: Pick<CodeServer, 'home'>): Daemon {
  const dataDir = path.join(server.home, '.mcplexer');
  const lock = () => {
    const file = path.join(dataDir, 'gateway.lock');
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DaemonLock) : undefined;
  };
  const token = () => readFileSync(path.join(dataDir, 'api-token'), 'utf8').trim();
  const api = async (method: string, route: string, body?: unknown) => {
    const held = lock();
    if (!held) throw new Error(`no gateway.lock in ${dataDir}`);
    const response = await fetch(`http://127.0.0.1:${held.port}/api/v1${route}`, {
      method,
      headers: { authorization: `Bearer ${token()}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const healthy = (notPid?: number) =>
    waitFor(
      'a gateway daemon answering health through the lock',
      async () => {
        const held = lock();
        if (!held || held.pid === notPid) return undefined;
        const health = await api('GET', '/health').catch(() => undefined);
        return health?.status === 200 && health.body.status === 'ok' ? held : undefined;
      },
      30_000,
      250,
    );
  return { dataDir, lock, token, api, healthy };
}

const paletteInput = (page: Page) => page.locator('.quick-input-widget .quick-input-box input');

/**
 * Runs a palette command that opens a quick pick or input box of its own: not runCommand, which
 * waits for the palette to hide and would race with that pick replacing it. Resolves once the
 * input's placeholder matches `placeholder`.
 */
export async function commandToPick(page: Page, title: string, placeholder: string | RegExp): Promise<void> {
  await page.keyboard.press('F1');
  const input = paletteInput(page);
  await input.fill(`>${title}`);
  // The row's first label: a command used before also carries a second one ("recently used").
  const focused = page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused .label-name').first();
  await waitFor(`the palette to focus "${title}"`, async () => ((await focused.innerText().catch(() => '')) === title ? true : undefined), 10_000, 100);
  await page.keyboard.press('Enter');
  await waitFor(
    `a quick input with the placeholder ${placeholder}`,
    async () => {
      const shown = (await input.getAttribute('placeholder')) ?? '';
      return (typeof placeholder === 'string' ? shown === placeholder : placeholder.test(shown)) ? true : undefined;
    },
    10_000,
    100,
  );
}

/**
 * In the open quick pick (its placeholder matching `placeholder`), moves to the row matching `label`
 * and picks it. Waits for such a row first: some picks fill their rows after they open (VS Code's
 * `MCP: List Servers` showed only "Add Server" for a moment in CI, and the arrow keys went round
 * that one row).
 * @throws Error naming the rows on screen when none matches within `timeoutMs`, or the keys never reach it.
 */
export async function pickRow(page: Page, placeholder: RegExp, label: RegExp, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    `a quick pick with the placeholder ${placeholder}`,
    async () => (placeholder.test((await paletteInput(page).getAttribute('placeholder')) ?? '') ? true : undefined),
    10_000,
    100,
  );
  const rows = await waitFor(
    `a row of the quick pick matching ${label}`,
    async () => {
      const texts = await quickPickRows(page);
      return texts.some((text) => label.test(text)) ? texts.length : undefined;
    },
    timeoutMs,
    100,
  ).catch(async (error: unknown) => {
    throw new Error(`${(error as Error).message}; rows on screen: ${JSON.stringify(await quickPickRows(page))}`, { cause: error });
  });
  const focused = page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused');
  for (let i = 0; i <= rows && !label.test(await focused.innerText()); i++) await page.keyboard.press('ArrowDown');
  const text = await focused.innerText();
  if (!label.test(text)) throw new Error(`the quick pick lists a row matching ${label} but the arrow keys never reached it (focused: ${JSON.stringify(text)})`);
  await page.keyboard.press('Enter');
}

/** The rows of the quick pick on screen, as their text. */
export function quickPickRows(page: Page): Promise<string[]> {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row').allInnerTexts();
}

/**
 * `MCP: List Servers` → MCPlexer → `action` (Start Server, Restart Server…), then the tool count
 * VS Code's MCP client reports in its output. In code-server that output lives in the browser's
 * IndexedDB, so it is read from the panel (the last count shown: use a page whose panel has shown
 * none yet); Monaco renders its spaces as U+00A0, hence `\s`.
 */
export async function startMcpServer(page: Page, action: RegExp): Promise<number> {
  // VS Code redraws its server list when a provider's definitions change, and a redraw between the
  // arrow keys and Enter picked "Add Server…" instead (CI): its submenu has no `action`, so back out
  // and ask again.
  for (let attempt = 1; ; attempt++) {
    await commandToPick(page, 'MCP: List Servers', 'Select an MCP Server');
    await pickRow(page, /Select an MCP Server/, /^MCPlexer/);
    try {
      await pickRow(page, /./, action, attempt < 3 ? 10_000 : 30_000);
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
  const panel = page.locator('.part.panel');
  return waitFor(
    'VS Code to report the tools it discovered',
    async () => {
      const found = [...(await panel.innerText().catch(() => '')).matchAll(/Discovered\s(\d+)\stools/g)].map((m) => Number(m[1]));
      return found.length > 0 ? found[found.length - 1] : undefined;
    },
    30_000,
    250,
  );
}
