/**
 * Text made safe inside HTML, in element content and in a quoted attribute alike: `& < > " '` as
 * numeric character references. The one escape of every page the project writes (the dashboard's
 * documents, the webviews' shells, the OAuth callback page, the private page of `mcplexer open`).
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
