// A tiny watchdog the bench starts first: it reads "+<id>" / "-<id>" lines on stdin (a process
// group the bench leads, a stray pid written as "p<pid>", a temp dir as "d<path>") and, when stdin
// ends (the bench exited, even by SIGKILL), SIGKILLs whatever is still listed and removes the
// dirs. Bounded: it lives only as long as the bench's pipe.
import { rmSync } from 'node:fs';

const groups = new Set();
let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let nl;
  while ((nl = buffer.indexOf('\n')) >= 0) {
    const line = buffer.slice(0, nl).trim();
    buffer = buffer.slice(nl + 1);
    if (line[0] === '+') groups.add(line.slice(1));
    else if (line[0] === '-') groups.delete(line.slice(1));
  }
});
process.stdin.on('end', () => {
  for (const id of groups) {
    try {
      if (id.startsWith('d')) continue;
      if (id.startsWith('p')) process.kill(Number(id.slice(1)), 'SIGKILL');
      else process.kill(-Number(id), 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  for (const id of groups) if (id.startsWith('d')) rmSync(id.slice(1), { recursive: true, force: true });
  process.exit(0);
});
