/**
 * The notifications every view protocol carries, declared once: the view's `view/ready` and
 * `view/dropped`, and the host's relay of the gateway's connection state and events. A protocol
 * spreads these into its `toHost` / `toView` tables beside its own.
 */
import { z } from 'zod';
import { gatewayEventNoteSchema, gatewayStateSchema } from './answers.js';

export const COMMON_TO_HOST = {
  /** The view is listening: the host sends the gateway state and anything it queued. */
  'view/ready': z.strictObject({}),
  /** The view dropped a malformed message from the host; the host logs the reason. */
  'view/dropped': z.strictObject({ reason: z.string() }),
  /** The user asked the offline banner to restart the gateway: the extension runs "MCPlexer: Restart Gateway". */
  'gateway/restart': z.strictObject({}),
};

export const COMMON_TO_VIEW = {
  'gateway/state': gatewayStateSchema,
  'gateway/event': gatewayEventNoteSchema,
};
