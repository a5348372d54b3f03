import { existsSync } from 'node:fs';
import path from 'node:path';
import { conflict, GatewayError } from '../errors.js';
import { unifiedDiff } from './diff.js';
import { sameEntry, stdioEntry, type EntryContext } from './entry.js';
import type { ConfigFormat } from './format.js';
import { jsonFormat } from './json-edit.js';
import { dirsFor, type Dirs, type Platform } from './paths.js';
import { CLIENTS, ENTRY_NAME, LEGACY_NAMES, type ClientSpec, type ConfigFormatName } from './registry.js';
import { tomlFormat } from './toml-edit.js';
import { readConfigText, writeConfigChecked } from './write.js';
import { yamlFormat } from './yaml-edit.js';

/** One client as `GET /mcp-install/status` lists it. */
export interface ClientState {
  id: string;
  name: string;
  config_path: string;
  /** The client is on this machine (its config folder, or what its registry entry names, exists). */
  detected: boolean;
  /** A `mcplexer` (or the legacy `mx`) entry is present. */
  configured: boolean;
  /** Configured, but not with the entry install would write now (port, token or runtime changed; or only `mx`). */
  stale: boolean;
  /** Why the file could not be read (it cannot be parsed); absent when it could. */
  error?: string;
}

export interface InstallStatus {
  clients: ClientState[];
  /** The stdio bridge stdio entries run (`<data dir>/bin/mcplexer-cli.js`). */
  binary_path: string;
  /** The stdio entry (`{command, args, env}`), for a client not in the registry. */
  server_entry: Record<string, unknown>;
  /** The home directory the clients' config paths are under: the gateway's user's (HOME, or USERPROFILE on Windows). */
  home: string;
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

  constructor(private readonly options: InstallerOptions) {
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
    };
  }

  /**
   * The file as install (or, with `action: 'uninstall'`, uninstall) would write it, and the diff. Writes nothing.
   * @throws GatewayError `not_found` (unknown id), `conflict` (not detected; uninstall: not configured), `unprocessable` (the file cannot be parsed)
   */
  preview(id: string, action: 'install' | 'uninstall' = 'install'): InstallPreview {
    const { file, current, next } = action === 'install' ? this.planInstall(id) : this.planUninstall(id);
    return { config_path: file, content: next, diff: unifiedDiff(current ?? '', next, file, file) };
  }

  /**
   * Writes our entry (removing a legacy `mx`), atomically with a `.bak`; nothing when it is already there.
   * @throws GatewayError `not_found`, `conflict` (not detected; a stdio client while the bridge is missing; a read-only file or one the file system refuses), `unprocessable`
   */
  install(id: string): ClientState {
    const { spec, file, current, next } = this.planInstall(id);
    if (!spec.http && !existsSync(this.options.bridgeScript))
      throw conflict(
        `${spec.name} runs MCPlexer through the stdio bridge, which is not at ${this.options.bridgeScript} yet: open VS Code with the MCPlexer extension, or run "mcplexer install ${spec.id}", which put it there`,
      );
    if (next !== current) writeConfigChecked(file, next, current, this.holdsToken(next) || this.holdsToken(current));
    return this.state(spec, this.options.context());
  }

  /**
   * Removes our entry and a legacy `mx` (a container left empty goes too).
   * @throws GatewayError `not_found`, `conflict` (not detected, or not configured; a read-only file or one the file system refuses), `unprocessable`
   */
  uninstall(id: string): ClientState {
    const { spec, file, current, next } = this.planUninstall(id);
    writeConfigChecked(file, next, current, this.holdsToken(next) || this.holdsToken(current));
    return this.state(spec, this.options.context());
  }

  private planUninstall(id: string) {
    const { spec, file, format } = this.detected(id);
    const current = readConfigText(file);
    const entries = current === undefined ? {} : format.entries(current, spec.key, file);
    const names = [ENTRY_NAME, ...LEGACY_NAMES].filter((name) => entries[name] !== undefined);
    if (current === undefined || names.length === 0) throw conflict(`${spec.name} has no "${ENTRY_NAME}" entry in ${file}: nothing to uninstall`);
    let next = current;
    for (const name of names) next = format.remove(next, spec.key, name, file);
    this.verify(spec, file, format, next, entries, undefined);
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
    const current = readConfigText(file);
    const base = current ?? spec.newFile ?? '';
    const entries = format.entries(base, spec.key, file);
    const wanted = spec.entry(this.options.context());
    let next = base;
    for (const legacy of LEGACY_NAMES) if (entries[legacy] !== undefined) next = format.remove(next, spec.key, legacy, file);
    next = sameEntry(entries[ENTRY_NAME], wanted) ? next : format.put(next, spec.key, ENTRY_NAME, wanted, file);
    this.verify(spec, file, format, next, entries, wanted);
    return { spec, file, current, next };
  }

  /**
   * Reads the edited text back before anything is written: our entry as wanted (or gone), the
   * legacy one gone, every other entry as it was. A splice that went wrong is refused, never written.
   */
  private verify(
    spec: ClientSpec,
    file: string,
    format: ConfigFormat,
    next: string,
    before: Record<string, unknown>,
    wanted: Record<string, unknown> | undefined,
  ): void {
    const after = format.entries(next, spec.key, file);
    const others = (entries: Record<string, unknown>) => Object.keys(entries).filter((name) => name !== ENTRY_NAME && !LEGACY_NAMES.includes(name));
    const ok =
      (wanted === undefined ? after[ENTRY_NAME] === undefined : sameEntry(after[ENTRY_NAME], wanted)) &&
      LEGACY_NAMES.every((name) => after[name] === undefined) &&
      others(before).length === others(after).length &&
      others(before).every((name) => sameEntry(before[name], after[name]));
    if (!ok) throw new GatewayError('internal', `editing ${file} would change more than the "${ENTRY_NAME}" entry; nothing was written`);
  }

  private isDetected(spec: ClientSpec, file: string): boolean {
    return (spec.detectPaths?.(this.dirs, file) ?? [path.dirname(file)]).some((candidate) => existsSync(candidate));
  }

  private state(spec: ClientSpec, context: EntryContext): ClientState {
    const file = spec.configPath(this.dirs);
    const base: ClientState = { id: spec.id, name: spec.name, config_path: file, detected: this.isDetected(spec, file), configured: false, stale: false };
    const text = readConfigText(file);
    if (text === undefined) return base;
    let entries: Record<string, unknown>;
    try {
      entries = FORMATS[spec.format].entries(text, spec.key, file);
    } catch (error) {
      if (error instanceof GatewayError && error.code === 'unprocessable') return { ...base, error: error.message };
      throw error;
    }
    const configured = [ENTRY_NAME, ...LEGACY_NAMES].some((name) => entries[name] !== undefined);
    const stale = configured && (!sameEntry(entries[ENTRY_NAME], spec.entry(context)) || LEGACY_NAMES.some((name) => entries[name] !== undefined));
    return { ...base, configured, stale };
  }
}
