/**
 * The V8 flags of the gateway daemon's process, for the one WebAssembly it runs: SQLite, the
 * engine of its audit trail (`gateway/audit/`). Both are about memory, measured on Node 20 with 20
 * downstreams connected (Dec 2026):
 * - `--wasm-num-compilation-tasks=1`: V8 compiles SQLite's 1.2 MB of WebAssembly with as many
 *   parallel tasks as it likes (128 by default), whose scratch memory peaked at ~51 MB of malloc
 *   that glibc kept for the daemon's life; one task peaks at ~22 MB and makes the same code.
 * - `--liftoff-only`: V8's baseline code only, no TurboFan tier-up of the hot functions, whose
 *   compilation left its scratch memory behind too: daemon RSS 129–144 → 121–124 MB. The call
 *   path's CPU did not move (audit on +11.3 % over off with it, +13.3 % without); the store's own
 *   work is slower (ingest 45k → 40k records/s, filtered queries on 1 M records +5–35 %).
 *
 * Set twice, to the same values: by the loader (`cli/loader.ts`) before it compiles the daemon's
 * bundle, and by the audit opener before the engine loads (for a process that did not start through
 * the loader). The first matters for the code cache: V8 stamps a cache with a hash of the flags
 * when it is made, 10 s into a daemon's life with these set, and rejects it when the hash differs
 * at the next start's compile, when they were not set yet: every daemon compiled its 3.8 MB again
 * and wrote the cache anew.
 */
export const DAEMON_V8_FLAGS: readonly string[] = ['--wasm-num-compilation-tasks=1', '--liftoff-only'];

/**
 * The flags the daemon's command line carries before its script (`<runtime> <flags> cli.js serve
 * …`), for what V8 fixes when it creates the heap and no later `setFlagsFromString` changes:
 * - `--max-semi-space-size=8` (MB): the young generation grows to 2 × 8 MB instead of V8's
 *   2 × 16 MB, which it reaches in a burst (20 servers discovered at once) and keeps committed
 *   while idle. With 20 downstreams connected: 122 → 110–114 MB RSS; CPU per call +2.3 % (ten
 *   paired rounds of 16 × 500 calls, within their spread; 4 MB gave 110 MB for +4.4 %). Dec 2026.
 *
 * Passed by every start of the daemon we make: `locateOrStartGateway` (the extension, `mcplexer
 * connect`), `npm start`, and the bench's (`bench/lib/daemon-flags.mjs`, pinned equal by a test).
 * A `serve` run by hand without them works the same, with V8's default young generation.
 */
export const DAEMON_START_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
