/** MCP logging levels, least severe first (RFC 5424 order, as the spec gives them). */
export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

const RANK = new Map<string, number>(LOG_LEVELS.map((level, index) => [level, index]));

export function isLogLevel(value: unknown): value is LogLevelName {
  return typeof value === 'string' && RANK.has(value);
}

/**
 * Whether a downstream notification may go to a client that set `minimum` with
 * `logging/setLevel`. Only `notifications/message` is filtered; a level the gateway does not
 * know is let through rather than lost.
 */
export function passesLogLevel(notification: { method: string; params?: Record<string, unknown> }, minimum: LogLevelName | undefined): boolean {
  if (minimum === undefined || notification.method !== 'notifications/message') return true;
  const rank = RANK.get(String(notification.params?.level));
  return rank === undefined || rank >= RANK.get(minimum)!;
}
