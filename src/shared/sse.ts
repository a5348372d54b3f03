/**
 * The reader of the gateway's event stream (`GET /api/v1/events`, SSE): an `SseStream` whose events
 * are checked against `gatewayEventSchema`. Events lost beyond the gateway's replay ring come as a
 * `resync` event: the caller refetches.
 */
import { gatewayEventSchema, type GatewayEvent } from './schemas/daemon.js';
import type { SseMessage } from './sse-parser.js';
import { jsonData, SseStream, type SseStreamOptions, type SseStreamStatus } from './sse-stream.js';

export { SseParser, type SseMessage } from './sse-parser.js';
export { SseStream, jsonData, type SseStreamOptions, type SseStreamStatus } from './sse-stream.js';

export type GatewayEventStreamStatus = SseStreamStatus;
export type GatewayEventStreamOptions = Omit<SseStreamOptions<GatewayEvent>, 'parse'>;

/** An `/events` message as a `GatewayEvent`, or why it is skipped. */
export function parseGatewayEvent(message: SseMessage): GatewayEvent | Error {
  const data = jsonData(message);
  if (data instanceof Error) return data;
  const event = { id: Number(message.id), type: message.type, data };
  const checked = gatewayEventSchema.safeParse(event);
  if (!checked.success) return new Error(`event ${message.id} of type "${message.type}" is not one this version knows; skipped`);
  // The data as sent (fields a newer gateway adds are kept), now known to fit the type.
  return event as unknown as GatewayEvent;
}

/** The subscription to `/api/v1/events` (see `SseStream`). */
export class GatewayEventStream extends SseStream<GatewayEvent> {
  constructor(options: GatewayEventStreamOptions) {
    super({ ...options, parse: parseGatewayEvent });
  }
}
