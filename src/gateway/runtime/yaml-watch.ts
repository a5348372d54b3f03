import { unwatchFile, watchFile } from 'node:fs';
import { importYamlConfig, type ConfigStore } from '../config/index.js';
import type { Logger } from '../log.js';

/**
 * Imports the YAML config at start (a broken file stops the start with the reason) and again
 * whenever it changes (a broken edit is logged and the config stays as it was).
 */
export async function watchYamlConfig(store: ConfigStore, file: string, logger: Logger): Promise<{ close(): void }> {
  const result = await importYamlConfig(store, file);
  logger.info('YAML config applied', { file, ...result });
  const onChange = () => {
    importYamlConfig(store, file).then(
      (again) => logger.info('YAML config changed: applied', { file, ...again }),
      (error: Error) => logger.error('YAML config changed but was not applied', { file, reason: error.message }),
    );
  };
  watchFile(file, { interval: 250 }, onChange);
  return { close: () => unwatchFile(file, onChange) };
}
