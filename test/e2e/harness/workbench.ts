import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import type { CodeServer } from './code-server';
import { countInExtHostLog, waitForExtHostLog } from './logs';
import { ARTIFACTS_DIR, CHROMIUM } from './paths';
import { waitFor } from './processes';

export interface Workbench {
  page: Page;
  browser: Browser;
  /** Closes the page, and the browser too when openWorkbench launched it. */
  close(): Promise<void>;
}

/**
 * The log line VS Code writes once the extension host has activated its eager (`*`) extensions;
 * `onStartupFinished` ones are activated right after it (see waitForActivation).
 */
export const EAGER_ACTIVATED = 'Eager extensions activated';

/** Launches Debian's Chromium headless; cleanup stays with the caller (no signal handlers of playwright's own). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

/**
 * Opens the workbench of `server` on `folder` in a new page and waits until it is usable: the status
 * bar is visible and this window's extension host has logged EAGER_ACTIVATED (its `onStartupFinished`
 * extensions are being activated then: waitForActivation waits for one). Pass `browser` to open a
 * second window in the same browser.
 * @throws Error when the workbench or the extension host is not ready within 60 s.
 */
export async function openWorkbench(server: Pick<CodeServer, 'url' | 'logsDir'>, folder: string, browser?: Browser): Promise<Workbench> {
  const ownBrowser = browser ? undefined : await launchChromium();
  const usedBrowser = browser ?? ownBrowser!;
  const page = await usedBrowser.newPage({ viewport: { width: 1280, height: 800 } });
  const close = async () => {
    await page.close();
    await ownBrowser?.close();
  };
  try {
    const activatedBefore = countInExtHostLog(server, EAGER_ACTIVATED);
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('#workbench\\.parts\\.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    await waitForExtHostLog(server, EAGER_ACTIVATED, activatedBefore, 60_000);
  } catch (error) {
    await close();
    throw error;
  }
  return { page, browser: usedBrowser, close };
}

/**
 * Runs a command from the palette: F1, types `>title`, moves with the arrow keys to the row whose
 * label is exactly `title` ("Category: Title" as the palette shows it) and presses Enter. Keys,
 * not clicks: hover tooltips cover rows and swallow mouse clicks.
 * @throws Error when no row of the filtered list has that label.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const labels = page.locator('.quick-input-widget .quick-input-list .monaco-list-row .label-name');
  await waitFor(`the palette to list "${title}"`, async () => ((await labels.allInnerTexts()).includes(title) ? true : undefined), 10_000);
  const rows = (await labels.allInnerTexts()).length;
  const focused = page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused .label-name');
  for (let i = 0; i <= rows; i++) {
    if ((await focused.innerText()) === title) {
      await page.keyboard.press('Enter');
      await input.waitFor({ state: 'hidden' });
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`the palette lists "${title}" but the arrow keys never reached it`);
}

/** The messages of the notification toasts now on screen, top to bottom. */
export function notifications(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-toast .notification-list-item-message').allInnerTexts();
}

/**
 * Waits for a notification toast whose message contains `text`.
 * @throws Error after `timeoutMs` listing the toasts on screen.
 */
export async function waitForNotification(page: Page, text: string, timeoutMs = 15_000): Promise<string> {
  try {
    return await waitFor(
      `a notification containing "${text}"`,
      async () => (await notifications(page)).find((message) => message.includes(text)),
      timeoutMs,
      200,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; on screen: ${JSON.stringify(await notifications(page))}`, { cause: error });
  }
}

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));

/**
 * The content frame of the webview shown in the view pane titled `viewPaneTitle` (the view must be
 * visible). Webview iframes carry no title and live in overlay divs outside the pane, so the one
 * covering most of the pane's body is taken; its document is `#active-frame` inside it. This finds a
 * view already shown; to show one, use `openWebviewView`, which reloads the workbench once when the
 * webview host is stuck.
 * @throws Error when no ready webview covers that pane within `timeoutMs`.
 */
// 60 s: with five webview views in the container, a pane's first load (its bundle, the CSP'd
// iframe, the host's first answer) waited over 20 s in CI on 2 shared cores.
export async function webviewFrame(page: Page, viewPaneTitle: string, timeoutMs = 60_000): Promise<Frame> {
  const pane = page.locator('.pane', { has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^${escapeRegExp(viewPaneTitle)}$`, 'i') }) });
  const body = pane.locator('.pane-body');
  return waitFor(
    `a ready webview over the "${viewPaneTitle}" pane`,
    async () => {
      const paneBox = (await body.count()) === 1 ? await body.boundingBox() : null;
      if (!paneBox) return undefined;
      let best: { area: number; frame: Frame } | undefined;
      for (const handle of await page.locator('iframe.webview.ready').elementHandles()) {
        const box = await handle.boundingBox();
        const area = box ? overlap(box, paneBox) : 0;
        const outer = area > 0 ? await handle.contentFrame() : null;
        if (outer && (!best || area > best.area)) best = { area, frame: outer };
      }
      const active = best ? await best.frame.$('iframe#active-frame') : null;
      return (await active?.contentFrame()) ?? undefined;
    },
    timeoutMs,
    250,
  );
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Shows a webview view and returns its content frame: `show` is the palette command that opens it,
 * or the steps that do (a pane unfolded, a palette pick). VS Code's webview host sometimes never
 * becomes `ready` for a pane in headless Chromium (in CI: every try at the Dashboard pane failed for
 * six minutes, and another run's Audit pane for two tries of a minute, while the run's other
 * webviews worked); a reload of the workbench brings it back. So after `firstTryMs` without a ready
 * webview the page is saved as a screenshot, reloaded once, and `show` run again. Tests open views
 * through this, not `webviewFrame`, which only finds a view already shown.
 *
 * @throws Error when no ready webview covers the pane after the reload either (within 60 s).
 */
export async function openWebviewView(page: Page, show: string | (() => Promise<void>), viewPaneTitle: string, firstTryMs = 30_000): Promise<Frame> {
  const run = typeof show === 'string' ? () => runCommand(page, show) : show;
  await run();
  try {
    return await webviewFrame(page, viewPaneTitle, firstTryMs);
  } catch {
    await screenshot(page, `webview-not-ready-${viewPaneTitle.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`);
    console.warn(`no ready webview over the "${viewPaneTitle}" pane after ${firstTryMs} ms: reloading the workbench once`);
    await page.reload();
    await page.locator('#workbench\\.parts\\.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    // A reloaded workbench activates the extension again, and its commands are listed only once it
    // has (a CI run: the palette did not list "Show Pending Approvals" within 10 s of the reload).
    await untilItRuns(page, run, 60_000);
    return webviewFrame(page, viewPaneTitle);
  }
}

/** Runs `run` again (after Escape closes what it left open) until it does not throw, for up to `timeoutMs`. */
async function untilItRuns(page: Page, run: () => Promise<void>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await run();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** Saves a full-window screenshot as `<artifacts>/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
