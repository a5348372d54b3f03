import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { importYamlConfig, type ConfigStore } from '../config/index.js';
import type { Logger } from '../log.js';

export interface YamlWatch {
  /** Why the last edit of the file was not applied (file, line, problem), until a good edit. */
  error(): string | undefined;
  close(): void;
}

/**
 * Imports the YAML config at start (a broken file stops the start with the reason) and again
 * whenever it changes. A broken edit keeps the config as it was and is reported by `error()`,
 * which the gateway's health shows as `degraded` with `config_error`, until a good edit.
 *
 * @throws GatewayError `validation_failed` / `conflict` when the file is broken at start.
 */
export async function watchYamlConfig(store: ConfigStore, file: string, logger: Logger): Promise<YamlWatch> {
  // Read before the import, so an edit that lands between the import and the watcher's first stat
  // (which becomes its baseline, so the poll never reports it) is caught by the check below.
  const imported = readText(file);
  const result = await importYamlConfig(store, file);
  logger.info('YAML config applied', { file, ...result });
  let lastError: string | undefined;
  // Imports run one after another, so the error reported is the latest edit's.
  let queue: Promise<void> = Promise.resolve();
  let seenChange = false;
  const onChange = () => {
    seenChange = true;
    queue = queue.then(() =>
      importYamlConfig(store, file).then(
        (again) => {
          if (lastError) logger.info('YAML config is valid again: the earlier error is cleared', { file });
          lastError = undefined;
          logger.info('YAML config changed: applied', { file, ...again });
        },
        (error: Error) => {
          lastError = error.message;
          logger.error('YAML config changed but was not applied: kept the last good config', { file, reason: error.message });
        },
      ),
    );
  };
  watchFile(file, { interval: POLL_MS }, onChange);
  const missed = setTimeout(() => {
    if (!seenChange && readText(file) !== imported) onChange();
  }, POLL_MS * 2);
  missed.unref();
  return {
    error: () => lastError,
    close: () => {
      clearTimeout(missed);
      unwatchFile(file, onChange);
    },
  };
}

const POLL_MS = 250;

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    return `unreadable: ${(error as Error).message}`;
  }
}
