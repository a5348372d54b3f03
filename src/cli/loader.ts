import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { DAEMON_V8_FLAGS } from '../shared/daemon-v8-flags.js';
import { compileWithCodeCache } from './code-cache.js';

/**
 * `dist/cli.js`, what `mcplexer` and `node dist/cli.js` run: it starts the CLI bundle beside it
 * (`cli-bundle.js`, built from main.ts) from V8's code cache (code-cache.ts), so a start does not
 * compile the 3.8 MB bundle again. The daemon (`serve`) keeps a cache of its own, since its start
 * is the one that counts and a cache holds what its run compiled; the other commands share one.
 * Each is written once, by the first run of its kind that had to compile: when it exits, or 10 s
 * after its start if it lives that long (a daemon killed hard still leaves one). `process.argv[1]` stays this file: the gateway and the bridge start the
 * daemon again with it.
 */
const BUNDLE_FILE = 'cli-bundle.js';

const SAVE_AFTER_MS = 10_000;

const serve = process.argv[2] === 'serve';
// Before the compile: the code cache is checked against the flags V8 has now, and the daemon's
// cache was made with these set (see DAEMON_V8_FLAGS).
if (serve) for (const flag of DAEMON_V8_FLAGS) setFlagsFromString(flag);
const bundle = compileWithCodeCache(path.join(__dirname, BUNDLE_FILE), serve ? 'serve' : 'cli');
// Before it runs: a command may end the process in its first synchronous steps (`--version`).
if (!bundle.cacheUsed) {
  process.once('exit', () => bundle.save());
  setTimeout(() => bundle.save(), SAVE_AFTER_MS).unref();
}
bundle.run(module);
