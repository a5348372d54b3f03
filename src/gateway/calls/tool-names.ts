import { createHash } from 'node:crypto';

/**
 * What a client accepts as a tool (or prompt) name: the model APIs behind the clients refuse a
 * request whose tool names leave this set or exceed 64 characters, and one such name breaks
 * every chat through the gateway.
 */
export const LISTED_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;
export const MAX_LISTED_NAME_LENGTH = 64;

const HASH_LENGTH = 8;
const DISALLOWED = /[^a-zA-Z0-9_-]/g;

/**
 * The name the gateway lists for a full name (`namespace__tool`, or the downstream's own name for
 * an unprefixed server). A full name that a client accepts is listed as it is; any other gets its
 * disallowed characters replaced by `_`, is cut to keep a readable prefix, and ends in `_` plus 8
 * hex digits of the SHA-256 of the full name, so it is deterministic (the same on every gateway and
 * every restart) and two full names that read alike after the cut stay apart. The catalog maps a
 * listed name back to its full name; it also detects the (unlikely) case of two full names with
 * one listed name and leaves the later one out.
 *
 * @param fullName any string (the downstream chose the tool name)
 * @returns a name matching `^[a-zA-Z0-9_-]{1,64}$`
 */
export function listedName(fullName: string): string {
  if (LISTED_NAME_PATTERN.test(fullName)) return fullName;
  const hash = createHash('sha256').update(fullName).digest('hex').slice(0, HASH_LENGTH);
  const readable = fullName.replace(DISALLOWED, '_').slice(0, MAX_LISTED_NAME_LENGTH - HASH_LENGTH - 1);
  return `${readable}_${hash}`;
}
