/**
 * The end-to-end harness: real VS Code (code-server, installed by scripts/e2e-setup.mjs) driven by
 * playwright-core through Debian's Chromium. Start an isolated server with extensions installed,
 * open its workbench on a folder, drive the palette, read notifications, webviews and the extension
 * host's log, take screenshots, and stop everything the run started. See README.md beside this file.
 */
export { DEFAULT_SETTINGS, RUN_MARKER, startCodeServer, type CodeServer, type CodeServerOptions } from './code-server';
export { countInExtHostLog, readExtHostLog, waitForActivation, waitForExtHostLog } from './logs';
export { packageExtension } from './package-extension';
export { ARTIFACTS_DIR, ROOT } from './paths';
export { processesInGroup, processesWithEnv, waitFor, type ProcessInfo } from './processes';
export {
  EAGER_ACTIVATED,
  launchChromium,
  notifications,
  openWebviewView,
  openWorkbench,
  runCommand,
  screenshot,
  waitForNotification,
  webviewFrame,
  type Workbench,
} from './workbench';
