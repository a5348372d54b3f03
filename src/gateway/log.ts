import { redactShapes } from './redaction/index.js';

/**
 * Structured logging: one JSON object per line on stderr, filtered by level. Never pass secrets in
 * fields; what may carry one unasked (a resource URI, a server's error text, a client's name) has
 * every secret of a known shape masked in the fields written.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  setLevel(level: LogLevel): void;
}

function maskFields(fields: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(fields, (_key, value: unknown) => (typeof value === 'string' ? redactShapes(value) : value)));
}

export function createLogger(level: LogLevel = 'info', write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  let threshold = ORDER[level];
  const emit = (lvl: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < threshold) return;
    // Each field's strings masked on their own (a shape masked across the serialised line could take a closing
    // quote with it); the message is the gateway's own words ("OAuth token refreshed" is no secret).
    write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg: message, ...(fields && maskFields(fields)) }) + '\n');
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    setLevel: (next) => {
      threshold = ORDER[next];
    },
  };
}

export const silentLogger: Logger = createLogger('error', () => undefined);
