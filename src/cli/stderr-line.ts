import { printable } from './terminal-text.js';

/**
 * Writes one message of the CLI to stderr as whole lines: a trailing line break is added unless the
 * text has one, so the next message (this process's, or another writer's on the same stream or
 * file: the daemon's log, the client's log of a stdio server) never runs onto it.
 */
export function writeStderrLine(text: string): void {
  // A message may quote a downstream's words: its escape sequences are shown, not obeyed (terminal-text.ts).
  process.stderr.write(printable(text.endsWith('\n') ? text : `${text}\n`));
}
