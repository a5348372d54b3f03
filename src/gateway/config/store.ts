import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { Low } from 'lowdb';
import { GatewayError } from '../errors.js';
import type { Logger } from '../log.js';
import { openSecretBox, type SecretBox } from '../secrets/index.js';
import { AtRestSeal } from './at-rest.js';
import { checkIntegrity } from './integrity.js';
import { describeJsonSyntax } from './json-syntax.js';
import { migrate } from './migrations.js';
import { PrivateJsonFile } from './private-json-file.js';
import { assertStateWithinBounds, repairLoadedState } from './state-bounds.js';
import { configStateSchema, type ConfigState } from './schemas/index.js';
import { applySeeds, emptyState } from './seeds.js';
import { droppedKeys, misspeltSibling } from './unknown-keys.js';

export const CONFIG_FILE = 'config.json';

/** The config store's public contract; lowdb today, another backend behind the same shape later. */
export interface ConfigStore {
  /** The current state. Treat it as immutable: every change produces a new object. */
  readonly state: ConfigState;
  /** Applies `mutate` to a copy, validates it, writes it atomically, then publishes it. */
  update<T>(mutate: (draft: ConfigState) => T): Promise<T>;
  /** Why the last hand edit of the file was refused, if it was. */
  readonly lastReloadError: string | undefined;
  on(event: 'change', listener: (state: ConfigState) => void): this;
  off(event: 'change', listener: (state: ConfigState) => void): this;
  close(): void;
}

/** lowdb-backed store of `config.json`; notices hand edits and keeps the last good state on bad ones. */
class LowConfigStore extends EventEmitter implements ConfigStore {
  private current: ConfigState;
  private queue: Promise<unknown> = Promise.resolve();
  private lastWritten = '';
  private watcher: FSWatcher | undefined;
  private reloadTimer: NodeJS.Timeout | undefined;
  lastReloadError: string | undefined;

  constructor(
    private readonly db: Low<ConfigState>,
    private readonly file: string,
    private readonly logger: Logger,
    private readonly seal: AtRestSeal,
  ) {
    super();
    this.current = db.data;
  }

  get state(): ConfigState {
    return this.current;
  }

  update<T>(mutate: (draft: ConfigState) => T): Promise<T> {
    const run = this.queue.then(async () => {
      const draft = structuredClone(this.current);
      const result = mutate(draft);
      const next = validateState(draft);
      // A write that changes nothing (a YAML re-import of the same file, a re-discovery of the same
      // lists) keeps the state as it is: no file write, no change event, no recompiled config.
      if (JSON.stringify(next) === JSON.stringify(this.current)) return result;
      this.keepRefusedEdit();
      await this.persist(next);
      this.publish(next);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async persist(next: ConfigState): Promise<void> {
    // Downstream env and header values go to disk sealed (at-rest.ts); memory keeps them clear.
    this.db.data = this.seal.seal(next);
    this.lastWritten = JSON.stringify(this.db.data, null, 2);
    // Private from the temp file's creation on (private-json-file.ts).
    await this.db.write();
  }

  /**
   * Before a write replaces a hand edit that was refused (invalid JSON, a wrong field), the edit is
   * copied beside the file (0600), so a half-finished edit is never lost to a write through the API.
   */
  private keepRefusedEdit(): void {
    if (this.lastReloadError === undefined) return;
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return;
    }
    if (text.trim() === this.lastWritten.trim()) return;
    const copy = `${this.file}.${new Date().toISOString().replace(/[:.]/g, '-')}.rejected`;
    writeFileSync(copy, text, { mode: 0o600 });
    this.logger.warn('a write replaces config.json, which holds an edit that was refused; the edit is kept', { copy, reason: this.lastReloadError });
  }

  private publish(next: ConfigState): void {
    this.current = next;
    this.emit('change', next);
  }

  watchFile(): void {
    this.watcher = watch(path.dirname(this.file), (_event, name) => {
      if (name !== path.basename(this.file)) return;
      clearTimeout(this.reloadTimer);
      this.reloadTimer = setTimeout(() => void this.reloadFromDisk(), 75);
    });
    this.watcher.on('error', (error) => this.logger.warn('config watch stopped', { error: String(error) }));
  }

  private reloadFromDisk(): Promise<void> {
    const run = this.queue.then(async () => {
      let text: string;
      try {
        text = readFileSync(this.file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      if (text === this.lastWritten || text.trim() === this.lastWritten.trim()) {
        // The file holds the running config again (a bad edit undone, or overwritten by a write).
        if (this.lastReloadError) this.logger.info('config.json is valid again: the earlier error is cleared');
        this.lastReloadError = undefined;
        return;
      }
      try {
        const next = validateState(applySeeds(this.seal.open(migrate(JSON.parse(text)))), { fromFile: true });
        this.lastWritten = text;
        this.lastReloadError = undefined;
        this.logger.info('config.json changed on disk: applied');
        this.publish(next);
        // A value typed in clear is sealed at once, not at some later write (a trial found it in clear meanwhile).
        if (this.seal.foundClear) await this.persist(next);
      } catch (error) {
        this.lastReloadError = describeLoadError(error, text);
        this.logger.error('config.json changed on disk but is invalid: kept the last good config', { reason: this.lastReloadError });
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    clearTimeout(this.reloadTimer);
    this.watcher?.close();
  }
}

/**
 * Bounds first (iterative; nothing recursive may see an over-deep value), then the schema, then
 * integrity. What a person wrote (`fromFile`) may hold no field the schema does not know: a typo
 * (`defualt_policy`) was dropped without a word, leaving the default (`allow`) where `deny` was
 * meant, while the REST API and the YAML file refuse unknown fields.
 */
function validateState(candidate: unknown, options: { fromFile?: boolean } = {}): ConfigState {
  assertStateWithinBounds(candidate);
  const parsed = configStateSchema.safeParse(candidate);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const typo = options.fromFile ? misspeltSibling(candidate, first.path) : undefined;
    const hint = typo === undefined ? '' : ` (beside it is "${typo}": a misspelt "${String(first.path.at(-1))}"?)`;
    throw new GatewayError('internal', `config state is invalid at ${first.path.join('.')}: ${first.message}${hint}`);
  }
  const unknown = options.fromFile ? droppedKeys(candidate, parsed.data) : [];
  if (unknown.length > 0) {
    throw new GatewayError(
      'internal',
      `config state has ${unknown.length === 1 ? 'an unknown field' : 'unknown fields'}: ${unknown.join(', ')} (a misspelt name? docs/configuration.md lists the fields)`,
    );
  }
  checkIntegrity(parsed.data);
  return parsed.data;
}

/** @param text the file's text, for where a JSON syntax error is. */
function describeLoadError(error: unknown, text?: string): string {
  if (error instanceof SyntaxError) return text === undefined ? `not valid JSON: ${error.message}` : describeJsonSyntax(text, error.message);
  return error instanceof Error ? error.message : String(error);
}

/**
 * Opens (or creates) `<dataDir>/config.json`, migrating older schema versions and seeding the
 * built-ins. A file that cannot be read as a valid config stops the start with a clear error,
 * rather than being overwritten. `box` seals the downstream env and header values on disk
 * (default: the data dir's own `secret.key`).
 */
export async function openConfigStore(dataDir: string, logger: Logger, options: { watch?: boolean; box?: SecretBox } = {}): Promise<ConfigStore> {
  const file = path.join(dataDir, CONFIG_FILE);
  const seal = new AtRestSeal(options.box ?? openSecretBox(dataDir));
  const db = new Low<ConfigState>(new PrivateJsonFile<ConfigState>(file), emptyState());
  let initial: ConfigState;
  let repaired: string | undefined;
  if (existsSync(file)) {
    let raw: unknown;
    const text = readFileSync(file, 'utf8');
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new GatewayError('internal', `${file} is ${describeLoadError(error, text)}; fix or move it away, then start again`);
    }
    try {
      const migrated = seal.open(migrate(raw));
      repaired = repairOverLimit(file, text, migrated, logger);
      initial = validateState(applySeeds(migrated), { fromFile: true });
    } catch (error) {
      throw new GatewayError('internal', `${file} is invalid: ${describeLoadError(error)}; fix or move it away, then start again`);
    }
  } else {
    initial = validateState(applySeeds(emptyState()));
  }
  db.data = initial;
  const store = new LowConfigStore(db, file, logger, seal);
  // Shown as health's config_error until the file next changes (any write or a hand edit).
  store.lastReloadError = repaired;
  await store.persist(initial);
  if (options.watch !== false) store.watchFile();
  return store;
}

/**
 * Repairs a loaded file's values beyond the stored-value bounds (state-bounds.ts), keeping the
 * original beside it. Returns what health reports, or undefined when nothing needed repair.
 */
function repairOverLimit(file: string, text: string, migrated: unknown, logger: Logger): string | undefined {
  const notes = repairLoadedState(migrated);
  if (notes.length === 0) return undefined;
  const backup = `${file}.${new Date().toISOString().replace(/[:.]/g, '-')}.bak`;
  writeFileSync(backup, text, { mode: 0o600 });
  const shown = notes.length > 5 ? [...notes.slice(0, 5), `and ${notes.length - 5} more`] : notes;
  const summary = `config.json held values beyond the limits of a stored value and was repaired (the original is kept at ${backup}): ${shown.join('; ')}`;
  logger.warn('config.json repaired at start', { backup, repairs: notes });
  return summary;
}
