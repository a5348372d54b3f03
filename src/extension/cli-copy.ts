// The copy lives in src/shared/node: the CLI's `install` makes it too, and the daemon names it in entries.
export { copyCliToDataDir, stableCliPath } from '../shared/node/index.js';
