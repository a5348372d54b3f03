import type { GatewayEventNote } from '../answers.js';
import type { GatewayEvent } from '../../schemas/daemon.js';

/** A daemon event as the views receive it: its type and the few fields they act on. */
export function eventNote(event: GatewayEvent): GatewayEventNote {
  switch (event.type) {
    case 'downstream.state':
      return { type: event.type, server_id: event.data.server_id, state: event.data.state, ...(event.data.error ? { error: event.data.error } : {}) };
    case 'config.changed':
      return { type: event.type, kinds: [...event.data.kinds] };
    case 'tools.changed':
      return { type: event.type, server_id: event.data.server_id };
    default:
      return { type: event.type };
  }
}
