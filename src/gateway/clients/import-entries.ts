/**
 * One entry of a client's config, read as a downstream server: the shapes the registry's clients
 * write (registry.ts `source`), folded into MCPlexer's fields. The file itself is read by the
 * installer's readers and format adapters (service.ts `entriesOf`), never parsed twice. Shapes:
 * `{command, args, env, cwd}` (Claude Desktop, Claude Code, Cursor, Windsurf, Cline, Gemini CLI,
 * LM Studio, VS Code, Zed, Codex, Continue); opencode's `{type: "local", command: [...],
 * environment}` and `{type: "remote", url, headers}`; Zed's older `{command: {path, args, env}}`;
 * URLs under `url`, Windsurf's `serverUrl`, Gemini's `httpUrl`; Codex's `bearer_token_env_var`,
 * `http_headers`, `env_http_headers`; Continue's `requestOptions.headers`.
 */
import { checkLiteral, convertMap } from './import-values.js';

export interface ClientServerEntry {
  /** The entry's name (key) in the client's config. */
  name: string;
  /** The entry as the file holds it (for `ours`, see ownership.ts). */
  raw: unknown;
  transport: 'stdio' | 'http';
  command?: string;
  args: string[];
  cwd?: string;
  url?: string;
  /** Values converted to MCPlexer's `${NAME}` (import-values.ts); never put on the wire. */
  env: Record<string, string>;
  headers: Record<string, string>;
  enabled: boolean;
  warnings: string[];
  /** Why it cannot be imported as it is, and what to do; absent when it can. */
  unsupported?: string;
}

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => typeof value === 'object' && value !== null && !Array.isArray(value);
const scalar = (value: unknown): value is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof value);

/** The transport names clients write (`type`, Cline's `transportType`), as MCPlexer's. */
const TRANSPORTS: Record<string, 'stdio' | 'http' | 'sse'> = {
  stdio: 'stdio',
  local: 'stdio', // opencode
  http: 'http',
  'streamable-http': 'http', // Continue
  streamableHttp: 'http', // Cline
  remote: 'http', // opencode
  sse: 'sse',
};

/** A string map (env, headers) with scalar values as strings; undefined when it holds anything else. */
function stringMap(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return {};
  if (!isObject(value) || !Object.values(value).every(scalar)) return undefined;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, String(v)]));
}

/** A list of arguments as strings; undefined when it holds anything but scalars. */
function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) && value.every(scalar) ? value.map(String) : undefined;
}

/** An entry that cannot be imported: the reason says why and what to do; its command or url shown when they are text. */
function unsupported(name: string, raw: unknown, reason: string): ClientServerEntry {
  const entry: ClientServerEntry = { name, raw, transport: 'stdio', args: [], env: {}, headers: {}, enabled: true, warnings: [], unsupported: reason };
  if (!isObject(raw)) return entry;
  const url = raw.url ?? raw.serverUrl ?? raw.httpUrl;
  if (typeof raw.command === 'string') entry.command = raw.command;
  else if (typeof url === 'string') Object.assign(entry, { transport: 'http', url });
  return entry;
}

/** Codex's header fields: `http_headers` as they are, `env_http_headers` and `bearer_token_env_var` naming variables. */
function codexHeaders(entry: Obj): Record<string, string> | undefined {
  const plain = stringMap(entry.http_headers);
  const fromEnv = stringMap(entry.env_http_headers);
  if (!plain || !fromEnv) return undefined;
  const out = { ...plain, ...Object.fromEntries(Object.entries(fromEnv).map(([header, variable]) => [header, `\${${variable}}`])) };
  if (typeof entry.bearer_token_env_var === 'string') out.Authorization = `Bearer \${${entry.bearer_token_env_var}}`;
  return out;
}

/**
 * The entry as a downstream server, or `unsupported` with the reason: not an object, a Zed
 * extension's entry, an unknown transport, no command and no url, both, or fields of the wrong
 * type. A legacy SSE entry imports as http: MCPlexer's HTTP transport falls back to SSE when the
 * URL refuses Streamable HTTP (downstream/connection.ts `openHttp`). A disabled entry imports
 * disabled, with a warning.
 */
export function readClientEntry(clientName: string, name: string, raw: unknown): ClientServerEntry {
  if (!isObject(raw))
    return unsupported(name, raw, `its value is not an object of server settings: fix it in the ${clientName} config, or add the server in MCPlexer by hand`);
  if (raw.source === 'extension')
    return unsupported(
      name,
      raw,
      `it is provided by a ${clientName} extension, which runs it itself: add the server in MCPlexer by hand with the command that extension runs`,
    );
  const kind = raw.type ?? raw.transportType;
  const transport = typeof kind === 'string' ? TRANSPORTS[kind] : undefined;
  if (kind !== undefined && transport === undefined)
    return unsupported(
      name,
      raw,
      `its transport "${String(kind)}" is not one MCPlexer speaks (stdio, or HTTP with SSE fallback): add it in MCPlexer by hand if the server also offers one of those`,
    );
  // Zed's older shape: `command: {path, args, env}`.
  const nested = isObject(raw.command) ? raw.command : undefined;
  const commandValue = nested ? nested.path : raw.command;
  const argv = Array.isArray(commandValue)
    ? stringList(commandValue)
    : typeof commandValue === 'string'
      ? [commandValue]
      : commandValue === undefined
        ? []
        : undefined;
  const args = stringList(nested ? nested.args : raw.args);
  const urlValue = raw.url ?? raw.serverUrl ?? raw.httpUrl;
  if (argv === undefined || args === undefined)
    return unsupported(name, raw, `its command or args are not text: fix the entry in the ${clientName} config, or add it in MCPlexer by hand`);
  if (urlValue !== undefined && typeof urlValue !== 'string') return unsupported(name, raw, `its url is not text: fix the entry in the ${clientName} config`);
  const command = argv[0];
  if (command !== undefined && urlValue !== undefined)
    return unsupported(name, raw, 'it has both a command and a url, so which one the client uses is unclear: keep one of them in the entry, then import it');
  if (command === undefined && urlValue === undefined)
    return unsupported(
      name,
      raw,
      `it has neither a command to run nor a url to reach: fix the entry in the ${clientName} config, or add the server in MCPlexer by hand`,
    );
  if (command === '') return unsupported(name, raw, `its command is empty: fix the entry in the ${clientName} config`);
  const env = stringMap(nested ? nested.env : (raw.env ?? raw.environment));
  const headers =
    urlValue === undefined
      ? {}
      : { ...stringMap(raw.headers), ...stringMap(isObject(raw.requestOptions) ? raw.requestOptions.headers : undefined), ...codexHeaders(raw) };
  if (env === undefined || stringMap(raw.headers) === undefined || codexHeaders(raw) === undefined)
    return unsupported(name, raw, `its env or headers hold values that are not text: fix the entry in the ${clientName} config`);
  const warnings: string[] = [];
  const entry: ClientServerEntry = {
    name,
    raw,
    transport: command === undefined ? 'http' : 'stdio',
    args: [...argv.slice(1), ...args],
    env: convertMap(env, 'env', warnings),
    headers: convertMap(headers, 'header', warnings),
    enabled: raw.disabled !== true && raw.enabled !== false,
    warnings,
  };
  if (command !== undefined) {
    entry.command = command;
    checkLiteral([command], 'its command', warnings);
    checkLiteral(entry.args, 'its args', warnings);
  } else {
    entry.url = urlValue as string;
    checkLiteral([entry.url], 'its url', warnings);
  }
  if (typeof raw.cwd === 'string' && raw.cwd !== '') {
    entry.cwd = raw.cwd;
    checkLiteral([raw.cwd], 'its cwd', warnings);
  }
  if (typeof raw.envFile === 'string')
    warnings.push(`its envFile (${raw.envFile}) is not read by MCPlexer: set the variables it holds in the server's env in MCPlexer after the import`);
  const unresolved = warnings.length > 0; // every warning so far is a value MCPlexer cannot use as written
  const restricted = RESTRICTIONS.filter((field) => raw[field] !== undefined);
  if (restricted.length > 0)
    warnings.push(
      `it limits its tools in ${clientName} (${restricted.map((field) => `${field}: ${JSON.stringify(raw[field])}`).join(', ')}), which MCPlexer does not read: add route rules that deny the tools it must not use, then enable it`,
    );
  const relative = [entry.command, entry.cwd].filter((value): value is string => value !== undefined && /^\.\.?[\\/]/.test(value));
  if (relative.length > 0)
    warnings.push(`${relative.join(', ')} is relative to where ${clientName} runs it, not to MCPlexer: give the absolute path in MCPlexer, then enable it`);
  if (!entry.enabled) warnings.push(`it is disabled in ${clientName}: it is imported disabled; enable it in MCPlexer when you want its tools`);
  else if (unresolved || restricted.length > 0 || relative.length > 0) {
    // Started as it is, it would fail, or run tools the client kept from the model: off until a person has looked.
    entry.enabled = false;
    warnings.push('it is imported disabled until that is done: enable it in the Servers view or with PUT /downstreams/{id}');
  }
  return entry;
}

/**
 * Fields by which a client narrows a server's tools (Codex `enabled_tools`/`disabled_tools`,
 * Gemini CLI `includeTools`/`excludeTools`). MCPlexer narrows with route rules instead; an entry
 * that carries one is imported disabled, so no tool the client kept from the model is callable.
 */
const RESTRICTIONS = ['enabled_tools', 'disabled_tools', 'includeTools', 'excludeTools'] as const;
