import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const LAUNCH_FILE = 'launch.json';

/**
 * `<dataDir>/launch.json`: how the last gateway of this data dir was started, so that one started
 * later on demand (`mcplexer connect`, `status --start`) runs the same way. Unlike the lock it
 * outlives the gateway.
 */
export interface LaunchRecord {
  /** Absolute path of the YAML config (`--config`), or null when it had none. */
  config_file: string | null;
  /** The port the user chose (`--port`, MCPLEXER_PORT), or null when it used the default. */
  port: number | null;
}

export function writeLaunchRecord(dataDir: string, record: LaunchRecord): void {
  writeFileSync(path.join(dataDir, LAUNCH_FILE), JSON.stringify(record) + '\n', { mode: 0o600 });
}

/** The record, or undefined when there is none or it cannot be read as one (then: defaults). */
export function readLaunchRecord(dataDir: string): LaunchRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path.join(dataDir, LAUNCH_FILE), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return undefined;
    throw error;
  }
  const record = raw as Partial<LaunchRecord> | null;
  if (!record || typeof record !== 'object') return undefined;
  return {
    config_file: typeof record.config_file === 'string' ? record.config_file : null,
    port: Number.isInteger(record.port) && (record.port as number) > 0 && (record.port as number) < 65_536 ? (record.port as number) : null,
  };
}
