import { existsSync } from 'node:fs';
import path from 'node:path';
import { conflict, GatewayError } from '../errors.js';
import { unifiedDiff } from './diff.js';
import { sameEntry, stdioEntry, type EntryContext } from './entry.js';
import { legacyOfOurs, whatItRuns, withOurKeys, writtenByUs } from './ownership.js';
import { eolOf, type ConfigFormat } from './format.js';
import { jsonFormat } from './json-edit.js';
import { dirsFor, type Dirs, type Platform } from './paths.js';
import { CLIENTS, ENTRY_NAME, LEGACY_NAMES, type ClientSpec, type ConfigFormatName } from './registry.js';
import { tomlFormat } from './toml-edit.js';
import { readConfigText } from './read.js';
import { CLIENT_PATH_VARIABLES } from '../../shared/schemas/mcp-install.js';
import type { WriteWarning } from './keep-owner.js';
import { removeBackupIf, writeConfigChecked } from './write.js';
import { yamlFormat } from './yaml-edit.js';

/** One client as `GET /mcp-install/status` lists it. */
export interface ClientState {
  id: string;
  name: string;
  config_path: string;
  /** The client is on this machine (its config folder, or what its registry entry names, exists). */
  detected: boolean;
  /** A `mcplexer` entry is present, or a legacy `mx` one whose content shows it is MCPlexer's. */
  configured: boolean;
  /** Configured, but not with the entry install would write now (port, token or runtime changed; only `mx`; or not written by MCPlexer). */
  stale: boolean;
  /** Why the file could not be read (the file system refuses it, or it cannot be parsed); absent when it could. */
  error?: string;
  /** What the user should know: a `mcplexer` entry MCPlexer did not write (what it runs), and that install replaced or would replace it. */
  note?: string;
}

export interface InstallStatus {
  clients: ClientState[];
  /** The stdio bridge stdio entries run (`<data dir>/bin/mcplexer-cli.js`). */
  binary_path: string;
  /** The stdio entry (`{command, args, env}`), for a client not in the registry. */
  server_entry: Record<string, unknown>;
  /** The home directory the clients' config paths are under: the gateway's user's (HOME, or USERPROFILE on Windows). */
  home: string;
  /** `CLIENT_PATH_VARIABLES` as the gateway sees them (null: unset): a CLI in another shell compares its own. */
  path_variables: Record<string, string | null>;
}

export interface InstallPreview {
  config_path: string;
  /** The whole file as install would write it. */
  content: string;
  /** A unified diff from the current file (empty when install would change nothing). */
  diff: string;
}

export interface InstallerOptions {
  /** Where HOME, APPDATA, XDG_CONFIG_HOME, CODEX_HOME, CLAUDE_CONFIG_DIR are read. */
  env: NodeJS.ProcessEnv;
  platform?: Platform;
  /** The gateway as it runs now (read at every call: the port is known only once it listens). */
  context: () => EntryContext;
  /** The stdio bridge's path (`binary_path`); stdio entries cannot be installed while it is missing. */
  bridgeScript: string;
  /** The registry (default `CLIENTS`). */
  clients?: readonly ClientSpec[];
  /** Where a write says what it could not keep (the gateway's log): a file's owner, when chown is not permitted. */
  warn?: WriteWarning;
}

const FORMATS: Record<ConfigFormatName, ConfigFormat> = { json: jsonFormat, jsonc: jsonFormat, toml: tomlFormat, yaml: yamlFormat };

/**
 * mcp-install: status, preview, install and uninstall of MCPlexer's entry in the clients of the
 * registry. Every write changes only our entry (see README.md); a file that cannot be parsed is
 * never written. File work is synchronous on purpose: one read-modify-write cannot interleave with
 * another in this process.
 */
export class ClientInstaller {
  private readonly clients: readonly ClientSpec[];
  private readonly dirs: Dirs;

  /** `options.context()`: the gateway's own address as entries name it (what makes an entry MCPlexer's; the import reads it too). */
  constructor(readonly options: InstallerOptions) {
    this.clients = options.clients ?? CLIENTS;
    this.dirs = dirsFor(options.env, options.platform);
  }

  /** Every client of the registry, in its order. Never throws for one client's file. */
  status(): InstallStatus {
    const context = this.options.context();
    return {
      clients: this.clients.map((spec) => this.state(spec, context)),
      binary_path: this.options.bridgeScript,
      server_entry: stdioEntry(context),
      home: this.dirs.home,
      path_variables: Object.fromEntries(CLIENT_PATH_VARIABLES.map((name) => [name, this.dirs.env[name] || null])),
    };
  }

  /**
   * The file as install (or, with `action: 'uninstall'`, uninstall) would write it, and the diff. Writes nothing.
   * @throws GatewayError `not_found` (unknown id), `conflict` (not detected; uninstall: not configured, or an entry MCPlexer did not write; a file the file system refuses to read), `unprocessable` (the file cannot be parsed or edited)
   */
  preview(id: string, action: 'install' | 'uninstall' = 'install'): InstallPreview {
    const { file, current, next } = action === 'install' ? this.planInstall(id) : this.planUninstall(id);
    return { config_path: file, content: next, diff: unifiedDiff(current ?? '', next, file, file) };
  }

  /**
   * Writes our entry (removing a legacy `mx` of ours), atomically; nothing when it is already there.
   * The `.bak` keeps the file as it was before our entry first went in: it is written only when the
   * file holds no entry of ours. An entry named `mcplexer` that MCPlexer did not write is replaced,
   * and the answer's `note` says what it ran.
   * @throws GatewayError `not_found`, `conflict` (not detected; a stdio client while the bridge is missing; a read-only file or one the file system refuses; the file changed during the edit), `unprocessable`
   */
  install(id: string): ClientState {
    const { spec, file, current, next, backup, note } = this.planInstall(id);
    if (!spec.http && !existsSync(this.options.bridgeScript))
      throw conflict(
        `${spec.name} runs MCPlexer through the stdio bridge, which is not at ${this.options.bridgeScript} yet: open VS Code with the MCPlexer extension, or run "mcplexer install ${spec.id}", which put it there`,
      );
    if (next !== current)
      writeConfigChecked(file, next, current, { holdsSecret: this.holdsToken(next) || this.holdsToken(current), backup, warn: this.options.warn });
    const state = this.state(spec, this.options.context());
    return note === undefined ? state : { ...state, note };
  }

  /**
   * Removes our entry and a legacy `mx` of ours (a container left empty goes too). Writes no `.bak`
   * (it keeps the file from before install), and removes one that still holds the API token.
   * @throws GatewayError `not_found`, `conflict` (not detected, or no entry of ours; a read-only file or one the file system refuses; the file changed during the edit), `unprocessable`
   */
  uninstall(id: string): ClientState {
    const { spec, file, current, next } = this.planUninstall(id);
    writeConfigChecked(file, next, current, { holdsSecret: this.holdsToken(next), backup: false, warn: this.options.warn });
    removeBackupIf(file, (text) => this.holdsToken(text));
    return this.state(spec, this.options.context());
  }

  /** A detected client's entries as its format reads them (`{}`: no file), for import. @throws GatewayError as `preview` (404, 409, 422) */
  entriesOf(id: string): { spec: ClientSpec; file: string; entries: Record<string, unknown> } {
    const { spec, file, format } = this.detected(id);
    const text = readConfigText(file, { settle: true });
    return { spec, file, entries: text === undefined ? {} : format.entries(text, spec.key, file) };
  }

  private planUninstall(id: string) {
    const { spec, file, format } = this.detected(id);
    const current = readConfigText(file, { settle: true });
    const entries = current === undefined ? {} : format.entries(current, spec.key, file);
    const { ours, legacy, foreign } = whose(entries);
    const names = [...(ours ? [ENTRY_NAME] : []), ...legacy];
    if (current === undefined || names.length === 0) {
      if (foreign)
        throw conflict(
          `the "${ENTRY_NAME}" entry in ${file} was not written by MCPlexer (it runs ${whatItRuns(entries[ENTRY_NAME])}): MCPlexer leaves it alone; remove it by hand if you mean to`,
        );
      throw conflict(`${spec.name} has no "${ENTRY_NAME}" entry in ${file}: nothing to uninstall`);
    }
    let next = current;
    for (const name of names) next = format.remove(next, spec.key, name, file);
    this.verify(spec, file, format, next, entries, names, undefined);
    return { spec, file, current, next };
  }

  /** Whether a config text holds the API token (an HTTP entry's header): such a file and its .bak are kept private. */
  private holdsToken(text: string | undefined): boolean {
    return text !== undefined && text.includes(this.options.context().token);
  }

  private spec(id: string): ClientSpec {
    const spec = this.clients.find((client) => client.id === id);
    if (!spec) throw new GatewayError('not_found', `unknown MCP client "${id}"; known clients: ${this.clients.map((c) => c.id).join(', ')}`);
    return spec;
  }

  private detected(id: string) {
    const spec = this.spec(id);
    const file = spec.configPath(this.dirs);
    if (!this.isDetected(spec, file)) {
      const looked = spec.detectPaths ? spec.detectPaths(this.dirs, file).join(' or ') : path.dirname(file);
      throw conflict(`${spec.name} is not detected on this machine (${looked} does not exist): install ${spec.name} and start it once, then try again`);
    }
    return { spec, file, format: FORMATS[spec.format] };
  }

  private planInstall(id: string) {
    const { spec, file, format } = this.detected(id);
    const current = readConfigText(file, { settle: true });
    const base = startingText(current, spec, format);
    const entries = format.entries(base, spec.key, file);
    const { ours, legacy, foreign } = whose(entries);
    const wanted = spec.entry(this.options.context());
    // Our entry keeps what its client or user added to it; one we did not write is replaced whole.
    const value = ours ? withOurKeys(entries[ENTRY_NAME], wanted) : wanted;
    let next = base;
    for (const name of legacy) next = format.remove(next, spec.key, name, file);
    if (!(ours && sameEntry(entries[ENTRY_NAME], value))) next = format.put(next, spec.key, ENTRY_NAME, value, file);
    this.verify(spec, file, format, next, entries, [ENTRY_NAME, ...legacy], value);
    const note = foreign
      ? `replaced a "${ENTRY_NAME}" entry MCPlexer did not write (it ran ${whatItRuns(entries[ENTRY_NAME])}); the file as it was is kept in ${file}.bak`
      : undefined;
    return { spec, file, current, next, backup: !ours && legacy.length === 0, note };
  }

  /**
   * Reads the edited text back before anything is written: our entry as wanted (or gone), the
   * `replaced` ones gone, every other entry as it was. A splice that went wrong, or text that no
   * longer parses, is refused, never written (the file itself is not to blame).
   */
  private verify(
    spec: ClientSpec,
    file: string,
    format: ConfigFormat,
    next: string,
    before: Record<string, unknown>,
    replaced: readonly string[],
    wanted: Record<string, unknown> | undefined,
  ): void {
    let after: Record<string, unknown>;
    try {
      after = format.entries(next, spec.key, file);
    } catch (error) {
      if (!(error instanceof GatewayError) || error.code !== 'unprocessable') throw error;
      throw cannotEdit(file, `the edited text would not parse (${error.details[0]?.message ?? error.message})`);
    }
    const others = (entries: Record<string, unknown>) => Object.keys(entries).filter((name) => !replaced.includes(name));
    const ok =
      replaced.every((name) => (name !== ENTRY_NAME || wanted === undefined ? after[name] === undefined : sameEntry(after[name], wanted))) &&
      others(before).length === others(after).length &&
      others(before).every((name) => sameEntry(before[name], after[name]));
    if (!ok) throw cannotEdit(file, `the edit would change more than the "${ENTRY_NAME}" entry`);
  }

  private isDetected(spec: ClientSpec, file: string): boolean {
    return (spec.detectPaths?.(this.dirs, file) ?? [path.dirname(file)]).some((candidate) => existsSync(candidate));
  }

  private state(spec: ClientSpec, context: EntryContext): ClientState {
    const file = spec.configPath(this.dirs);
    const base: ClientState = { id: spec.id, name: spec.name, config_path: file, detected: this.isDetected(spec, file), configured: false, stale: false };
    let entries: Record<string, unknown>;
    try {
      const text = readConfigText(file);
      if (text === undefined) return base;
      entries = FORMATS[spec.format].entries(text, spec.key, file);
    } catch (error) {
      // This client's file only: the listing goes on for the others.
      if (error instanceof GatewayError && (error.code === 'unprocessable' || error.code === 'conflict')) return { ...base, error: error.message };
      throw error;
    }
    const { ours, legacy, foreign } = whose(entries);
    const configured = ours || foreign || legacy.length > 0;
    const wanted = spec.entry(context);
    const stale = configured && (!ours || !sameEntry(entries[ENTRY_NAME], withOurKeys(entries[ENTRY_NAME], wanted)) || legacy.length > 0);
    const note = foreign
      ? `its "${ENTRY_NAME}" entry was not written by MCPlexer (it runs ${whatItRuns(entries[ENTRY_NAME])}): install replaces it`
      : undefined;
    return note === undefined ? { ...base, configured, stale } : { ...base, configured, stale, note };
  }
}

/**
 * Which of a file's entries are MCPlexer's, by their content (ownership.ts), not by name alone.
 * `legacy`: other entries of ours, which install and uninstall remove: the original's `mx`, and
 * ours under another spelling of the name (`MCPlexer`: a trial's client would have run two bridges
 * once install added `mcplexer` beside it).
 */
function whose(entries: Record<string, unknown>): { ours: boolean; legacy: string[]; foreign: boolean } {
  const present = entries[ENTRY_NAME] !== undefined;
  const ours = present && writtenByUs(entries[ENTRY_NAME]);
  const legacy = Object.keys(entries).filter(
    (name) =>
      name !== ENTRY_NAME &&
      ((LEGACY_NAMES.includes(name) && legacyOfOurs(entries[name])) || (name.toLowerCase() === ENTRY_NAME && writtenByUs(entries[name]))),
  );
  return { ours, foreign: present && !ours, legacy };
}

/**
 * The text install edits: the file; a missing one starts as `newFile`; so does one that holds
 * nothing but whitespace and comments (kept, before it). Continue rejects a config.yaml without its
 * required top-level fields (`name`, `version`): an empty one used to get our `mcpServers` alone.
 */
function startingText(current: string | undefined, spec: ClientSpec, format: ConfigFormat): string {
  if (current === undefined) return spec.newFile ?? '';
  if (spec.newFile === undefined || !format.blank?.(current)) return current;
  const eol = eolOf(current);
  return current + (current === '' || current.endsWith('\n') ? '' : eol) + spec.newFile.replace(/\n/g, eol);
}

/** The refusal when MCPlexer's own edit went wrong: the file is not to blame, and nothing was written. */
function cannotEdit(file: string, why: string): GatewayError {
  return new GatewayError(
    'unprocessable',
    `MCPlexer could not edit ${file} safely: ${why}. Nothing was written; add the entry by hand, or report this with the file`,
    { details: [{ path: file, message: why }] },
  );
}
