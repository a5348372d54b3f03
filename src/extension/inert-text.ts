/**
 * Text made inert for a VS Code notification, which renders `[label](target)` as a link and runs
 * a `command:` target's command when clicked (its link pattern needs `](` adjacent). Pure (no
 * `vscode`), for the notification wrappers (notify.ts) and the approval texts alike.
 */
export function inert(text: string): string {
  return text.replace(/\]\s*\(/g, '] (');
}
