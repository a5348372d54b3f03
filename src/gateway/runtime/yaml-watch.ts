import { unwatchFile, watchFile } from 'node:fs';
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
  const result = await importYamlConfig(store, file);
  logger.info('YAML config applied', { file, ...result });
  let lastError: string | undefined;
  // Imports run one after another, so the error reported is the latest edit's.
  let queue: Promise<void> = Promise.resolve();
  const onChange = () => {
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
  watchFile(file, { interval: 250 }, onChange);
  return { error: () => lastError, close: () => unwatchFile(file, onChange) };
}
