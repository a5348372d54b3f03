/**
 * The load suite's scale: `full` (npm run test:load) or `short` (npm run test:load -- --short, what
 * .ci/run runs on 2 shared cores). A case picks its sizes with `scaled(full, short)`.
 */
export const LOAD_PROFILE: 'full' | 'short' = process.env.LOAD_PROFILE === 'short' ? 'short' : 'full';

/** `full` in the full profile, `short` in the short one. */
export function scaled<T>(full: T, short: T): T {
  return LOAD_PROFILE === 'short' ? short : full;
}
