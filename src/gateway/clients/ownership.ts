/**
 * Whose an entry is, read from its content, never from its name alone: a user's own server may be
 * called `mx` (a mail tool), and another program may call its entry `mcplexer`. A trial lost a
 * user's `mx` server to install and uninstall, which matched the legacy name only.
 */

/** Hosts an entry of ours points at: the gateway listens on loopback only. */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** The stable bridge copy every stdio entry of ours runs (`<data dir>/bin/mcplexer-cli.js connect`). */
const BRIDGE_SCRIPT = 'mcplexer-cli.js';

type Entry = Record<string, unknown>;

const isObject = (value: unknown): value is Entry => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The command line an entry runs (`command` + `args`, or opencode's `command` array), as strings. */
function argvOf(entry: Entry): string[] {
  const argv = Array.isArray(entry.command) ? entry.command : [entry.command, ...(Array.isArray(entry.args) ? entry.args : [])];
  return argv.filter((part): part is string => typeof part === 'string');
}

/** The entry's URL, under whichever key its client reads (`url`, Windsurf's `serverUrl`, Gemini's `httpUrl`). */
function urlOf(entry: Entry): string | undefined {
  const url = entry.url ?? entry.serverUrl ?? entry.httpUrl;
  return typeof url === 'string' ? url : undefined;
}

/**
 * Whether MCPlexer wrote this entry (any version, any port or token): an HTTP entry pointing at a
 * loopback `/mcp` with a bearer `Authorization` header, or a command running the bridge copy
 * `…/mcplexer-cli.js connect`.
 */
export function writtenByUs(entry: unknown): boolean {
  if (!isObject(entry)) return false;
  const url = urlOf(entry);
  if (url !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false; // not a URL at all: not one we wrote
    }
    const headers = isObject(entry.headers) ? entry.headers : {};
    const auth = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
    return LOOPBACK.has(parsed.hostname) && parsed.pathname === '/mcp' && typeof auth === 'string' && auth.startsWith('Bearer ');
  }
  const argv = argvOf(entry);
  return argv.some((part, i) => part.split(/[\\/]/).pop() === BRIDGE_SCRIPT && argv[i + 1] === 'connect');
}

/**
 * Whether a legacy-named entry (`mx`) is MCPlexer's: the original's `{command, args: ["connect",
 * "--socket=<path>"]}` (ORIGINAL.md), or one this MCPlexer wrote.
 */
export function legacyOfOurs(entry: unknown): boolean {
  if (!isObject(entry)) return false;
  const args = Array.isArray(entry.args) ? entry.args : [];
  return writtenByUs(entry) || (args[0] === 'connect' && args.some((arg) => typeof arg === 'string' && arg.startsWith('--socket=')));
}

/** What an entry runs, in words for a message: its URL, or its command line. */
export function whatItRuns(entry: unknown): string {
  if (!isObject(entry)) return JSON.stringify(entry);
  const url = urlOf(entry);
  if (url !== undefined) return url;
  const argv = argvOf(entry);
  return argv.length > 0 ? `"${argv.join(' ')}"` : JSON.stringify(entry);
}

/**
 * `existing` with MCPlexer's keys set as in `wanted`, every other key kept where it was: what a
 * client writes on our entry (Cline's `disabled`, `autoApprove`, `timeout`; Codex's
 * `startup_timeout_sec`; an extra variable in `env` or header) is the user's, and survives an update.
 */
export function withOurKeys(existing: unknown, wanted: Entry): Entry {
  const out: Entry = isObject(existing) ? { ...existing } : {};
  for (const [key, value] of Object.entries(wanted)) out[key] = isObject(value) && isObject(out[key]) ? withOurKeys(out[key], value) : value;
  return out;
}
