import { GatewayError } from '../../errors.js';
import type { CallRecord } from '../call-record.js';
import type { RuntimeConfig } from '../runtime-config.js';

/**
 * Step 3b, after an approval (README "The steps"): the call goes out under the configuration of
 * the moment it was approved, not of the moment it asked. While it waited, a rule may have come to
 * deny it, its server may have been disabled, deleted or replaced, its workspace deleted; a person
 * approved the call as it was decided then, not whatever the config became. So the call is
 * normalised and routed again and refused as a new call would be: an approval never lets a call
 * past a refusal made since, nor starts a server the config no longer has. An unchanged config
 * (the same compiled snapshot) costs one comparison.
 *
 * @param again the path's own normalise and route of `record` under a config (sets its decision)
 * @returns the config to invoke with: `now`
 * @throws GatewayError whatever routing refuses now (`denied`, `no_route`, `unknown_tool`,
 *   `server_disabled`, `not_found`, …), with the same code and a message that says the
 *   configuration changed while the call waited
 */
export function routeAgain(asked: RuntimeConfig, now: RuntimeConfig, record: CallRecord, again: (config: RuntimeConfig) => void): RuntimeConfig {
  if (now === asked) return asked;
  try {
    again(now);
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    const approval = record.approvalId === undefined ? '' : ` ${record.approvalId}`;
    throw new GatewayError(
      error.code,
      `${error.message} (the configuration changed while the call waited for approval${approval}: an approval covers the call as it was decided, and the call is refused as a new one would be now)`,
      { details: error.details, cause: error },
    );
  }
  return now;
}
