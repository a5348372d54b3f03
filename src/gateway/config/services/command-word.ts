import { existsSync } from 'node:fs';
import path from 'node:path';
import { validationError } from '../parse.js';

/**
 * Refuses a stdio `command` that is a whole command line (`node /srv/server.js`): the gateway
 * runs `command` as one program with `args`, so the start failed with "spawn node /srv/server.js
 * ENOENT — ensure the required command is installed", which misleads while node is installed (a
 * trial, from the Servers view's form). A command with spaces that names a file (`/opt/My
 * Tools/server`) is a program and passes.
 * @param cwd the server's working directory, against which a relative command is looked up
 * @throws GatewayError `validation_failed` (400, path `command`) saying how to split it
 */
export function checkCommandWord(command: string, args: readonly string[], cwd: string | undefined): void {
  const trimmed = command.trim();
  if (!/\s/.test(trimmed) || existsSync(path.resolve(cwd ?? process.cwd(), trimmed))) return;
  const [program, ...rest] = trimmed.split(/\s+/);
  throw validationError([
    {
      path: 'command',
      message: `is a whole command line, but it is run as one program: put "${program}" in command and the rest in args (${JSON.stringify([...rest, ...args])})`,
    },
  ]);
}
