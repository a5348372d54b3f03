import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const HEALTH_TIMEOUT_MS = 1000;

/** The inodes of sockets listening on `port` (Linux: /proc/net/tcp and tcp6, state 0A = LISTEN). */
function listeningInodes(port: number): Set<string> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue; // not Linux, or no IPv6: nothing to learn from this table
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A' && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** The pid and command line of a process holding one of `inodes` (only processes we may inspect). */
function processHolding(inodes: Set<string>): { pid: number; command: string } | undefined {
  if (inodes.size === 0) return undefined;
  const wanted = new Set([...inodes].map((inode) => `socket:[${inode}]`));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // another user's process, or gone meanwhile
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      if (!wanted.has(target)) continue;
      let command = '';
      try {
        command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      } catch {
        // it exited meanwhile: the pid alone still helps
      }
      return { pid: Number(entry), command };
    }
  }
  return undefined;
}

/** Whether an MCPlexer gateway answers health there, and with what (token-less view). */
async function gatewayOn(port: number): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/health`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
    const body = (await response.json()) as { version?: unknown; data_dir?: unknown };
    if (typeof body?.version !== 'string') return undefined;
    return `an MCPlexer gateway (version ${body.version}${typeof body.data_dir === 'string' ? `, data dir ${body.data_dir}` : ''})`;
  } catch {
    return undefined; // not an MCPlexer gateway, or not HTTP at all
  }
}

/**
 * Best effort: says what holds a listening TCP port, e.g. `an MCPlexer gateway (version 0.1.0,
 * data dir /home/me/.mcplexer), pid 4242: node dist/cli.js serve`, or undefined when nothing can be
 * learned (another OS, or another user's process). Only for error messages: never throws.
 */
export async function describePortHolder(port: number): Promise<string | undefined> {
  const gateway = await gatewayOn(port);
  let proc: { pid: number; command: string } | undefined;
  try {
    proc = process.platform === 'linux' ? processHolding(listeningInodes(port)) : undefined;
  } catch {
    proc = undefined; // /proc unreadable: fall back to what health said
  }
  const who = proc ? `pid ${proc.pid}${proc.command ? `: ${proc.command.slice(0, 200)}` : ''}` : undefined;
  if (gateway && who) return `${gateway}, ${who}`;
  return gateway ?? (who ? `process ${who}` : undefined);
}
