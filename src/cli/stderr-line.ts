/**
 * Writes one message of the CLI to stderr as whole lines: a trailing line break is added unless the
 * text has one, so the next message (this process's, or another writer's on the same stream or
 * file: the daemon's log, the client's log of a stdio server) never runs onto it.
 */
export function writeStderrLine(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}
