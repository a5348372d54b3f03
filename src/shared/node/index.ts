/**
 * shared/node: the Node-only pieces the CLI, the extension and the daemon share — the data dir
 * default and its files, the `gateway.lock` format, the launch record, and locate-or-start the
 * daemon. Never imported by src/webview (pinned by test/unit/architecture.test.ts).
 */
export { defaultDataDir, readToken, LOG_FILE, TOKEN_FILE } from './data-dir.js';
export { healthAnswers, isAlive, lockPath, readLock, LOCK_FILE, STARTING_GRACE_MS, type GatewayLock } from './lock.js';
export { readLaunchRecord, writeLaunchRecord, LAUNCH_FILE, type LaunchRecord } from './launch-record.js';
export { findGateway, isPlainNode, locateGateway, locateOrStartGateway, serveArgs, type LocatedGateway, type StartGatewayOptions } from './locate.js';
export { copyCliToDataDir, stableCliPath } from './cli-copy.js';
export { writeOpenPage, OPEN_PAGES_DIR } from './open-page.js';
