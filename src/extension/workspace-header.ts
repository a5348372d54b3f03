/**
 * `X-MCPlexer-Workspace` for this window's definition. A Copilot call names no folder, so a
 * multi-root window sends every folder as a JSON array and the gateway decides with the strictest
 * of their workspaces; one folder goes as its plain path; no folder sends nothing (the global
 * workspace). Pure, unit-tested.
 */
export function workspaceHeader(folders: readonly string[]): string | undefined {
  if (folders.length === 0) return undefined;
  if (folders.length === 1) return folders[0];
  return JSON.stringify(folders);
}
