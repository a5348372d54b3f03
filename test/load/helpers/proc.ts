/**
 * What the load suite reads from Linux's /proc: a process's resident memory and the processes
 * that belong to a process tree (by parent links and by process group), so a case can count a
 * gateway's children while it runs and prove that none is left after it stopped.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
  /** One-letter state from /proc/<pid>/stat (`Z`: a zombie, already dead). */
  state: string;
}

/** Every live process (zombies included; see `state`). */
export function processTable(): ProcEntry[] {
  const table: ProcEntry[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      table.push({ pid: Number(entry), state: fields[0]!, ppid: Number(fields[1]), pgid: Number(fields[2]) });
    } catch {
      // gone between readdir and read: not a member of anything
    }
  }
  return table;
}

/**
 * The descendants of `root` (not `root` itself) that are not zombies, plus every live member of
 * their process groups (a child the gateway starts leads its own group; a grandchild that was
 * reparented stays in it).
 */
export function treeOf(root: number, table = processTable()): ProcEntry[] {
  const byParent = new Map<number, ProcEntry[]>();
  for (const entry of table) byParent.set(entry.ppid, [...(byParent.get(entry.ppid) ?? []), entry]);
  const found = new Map<number, ProcEntry>();
  const queue = [...(byParent.get(root) ?? [])];
  while (queue.length > 0) {
    const entry = queue.pop()!;
    if (found.has(entry.pid)) continue;
    found.set(entry.pid, entry);
    queue.push(...(byParent.get(entry.pid) ?? []));
  }
  const groups = new Set([...found.values()].map((e) => e.pgid).filter((pgid) => pgid !== root && pgid > 1));
  for (const entry of table) if (groups.has(entry.pgid)) found.set(entry.pid, entry);
  return [...found.values()].filter((e) => e.state !== 'Z');
}

/** Live (not zombie) processes whose command line holds `marker` as one of its arguments' text. */
export function processesWithArg(marker: string, table = processTable()): number[] {
  return table
    .filter((e) => e.state !== 'Z')
    .filter((e) => {
      try {
        return readFileSync(`/proc/${e.pid}/cmdline`, 'utf8').includes(marker);
      } catch {
        return false;
      }
    })
    .map((e) => e.pid);
}

/** Live processes in any of `groups`. */
export function membersOf(groups: Set<number>, table = processTable()): number[] {
  return table.filter((e) => e.state !== 'Z' && groups.has(e.pgid)).map((e) => e.pid);
}

/** Resident set size of `pid` in bytes (VmRSS), undefined once it is gone. */
export function rssBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples `root`'s tree every `everyMs` until stopped: every pid and process group ever seen in it,
 * so processes that came and went (crashed and restarted children) are accounted for afterwards.
 */
export function watchTree(root: number, everyMs = 100): { pids: Set<number>; groups: Set<number>; peak: number; stop(): void } {
  const seen = { pids: new Set<number>(), groups: new Set<number>(), peak: 0 };
  const sample = () => {
    const tree = treeOf(root);
    seen.peak = Math.max(seen.peak, tree.length);
    for (const entry of tree) {
      seen.pids.add(entry.pid);
      if (entry.pgid !== root) seen.groups.add(entry.pgid);
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    ...seen,
    get peak() {
      return seen.peak;
    },
    stop: () => clearInterval(timer),
  };
}
