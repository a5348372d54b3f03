/**
 * A namespace suggested from a server's name: lowercase, runs of other characters as one `-` (the
 * palette's "Add Server…" and the Servers view's form both offer it).
 */
export function suggestNamespace(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/_{2,}/g, '_')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 64);
}
