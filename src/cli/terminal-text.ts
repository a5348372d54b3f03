/**
 * Text for a terminal, with its control characters shown rather than obeyed. What the CLI prints
 * comes partly from elsewhere (a downstream's stderr in `status`, a server's or client's name, a
 * gateway error quoting either), and a terminal acts on escape sequences: a trial's server wrote
 * `ESC]52;c;…BEL` (set the clipboard), `ESC]0;…` (the window title), `ESC[2J` (clear) and an
 * OSC 8 hyperlink to its stderr, and `mcplexer status` passed them to the terminal raw. C0 and
 * C1 controls and DEL but line feed and tab become `\x1b`-style escapes. JSON output needs none
 * of this: `JSON.stringify` escapes them already.
 */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` with each control character but `\n` and `\t` written as `\xNN`. */
export function printable(text: string): string {
  return text.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Writes human-readable output to stdout, its control characters shown (`printable`). */
export function writeOut(text: string): void {
  process.stdout.write(printable(text));
}
