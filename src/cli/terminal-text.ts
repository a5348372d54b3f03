/**
 * Text for a terminal, with its control characters shown rather than obeyed. What the CLI prints
 * comes partly from elsewhere (a downstream's stderr in `status`, a server's or client's name, a
 * gateway error quoting either), and a terminal acts on escape sequences: a trial's server wrote
 * `ESC]52;c;…BEL` (set the clipboard), `ESC]0;…` (the window title), `ESC[2J` (clear) and an
 * OSC 8 hyperlink to its stderr, and `mcplexer status` passed them to the terminal raw. C0 and
 * C1 controls and DEL but line feed and tab become `\x1b`-style escapes. JSON output
 * (`writeJson`) escapes C1 and DEL as `\u` too: `JSON.stringify` escapes only C0.
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

/** Writes `value` as indented JSON to stdout, with DEL and the C1 controls (which `JSON.stringify` leaves as they are) as `\u` escapes. */
export function writeJson(value: unknown): void {
  const text = JSON.stringify(value, null, 2).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  process.stdout.write(`${text}\n`);
}
