import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

/** A CommonJS file compiled (from V8's code cache when it has one), ready to run. */
export interface CachedScript {
  /** True when V8 took the cache file's code instead of compiling the file. */
  cacheUsed: boolean;
  /** Runs the file as `require` would (its own `require`, `module`, `__filename`, `__dirname`); returns its exports. */
  run(parent: NodeModule): unknown;
  /**
   * Writes the cache file from what this process has compiled so far (the functions run by then
   * included), when the cache was missing or refused; at most once; a no-op otherwise. A directory
   * that cannot be written (a global install owned by root) just means no cache.
   */
  save(): void;
}

/** The cache file's header: the SHA-1 of the file the code was compiled from. */
const DIGEST_BYTES = 20;

/**
 * Where a file's cache lives: beside it (as private as the file), one per V8 version, so Node and
 * VS Code's runtime keep theirs, and per `kind` of run (a cache holds the functions its run
 * compiled, so the daemon keeps its own).
 */
export function codeCachePath(file: string, kind: string): string {
  return `${file}.${kind}.${process.versions.v8}-${process.arch}.v8cache`;
}

/**
 * Compiles a CommonJS file with V8's code cache: Node 20 has no `module.enableCompileCache`
 * (22.1+), and compiling the 3.8 MB CLI bundle took ~70 ms of every start, plus the lazy
 * compilation of each function run while starting.
 *
 * The cache file is `<file>.<kind>.<v8 version>-<arch>.v8cache`: the SHA-1 of the file it was made from,
 * then V8's data. V8 checks its own version, its flags and the source's length, not its content;
 * the digest is what makes a rebuilt file of the same length compile afresh rather than run the
 * old code. A missing, foreign or unreadable cache means a normal compile, and `save` writes a new
 * one (through a temp file and a rename, so a process starting then never reads half of it).
 *
 * @param file absolute path of the CommonJS file
 * @param kind which cache: a word naming the kind of run (`serve`, `cli`)
 * @throws what reading or compiling the file throws (a syntax error)
 */
export function compileWithCodeCache(file: string, kind: string): CachedScript {
  const bytes = readFileSync(file);
  const digest = createHash('sha1').update(bytes).digest();
  const cacheFile = codeCachePath(file, kind);
  const cachedData = readCache(cacheFile, digest);
  // The same wrapper as Node's own loader, on the first line: positions in stack traces and the source map stay right.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${bytes.toString('utf8')}\n});`;
  const script = new Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const cacheUsed = cachedData !== undefined && !script.cachedDataRejected;
  let saved = cacheUsed;
  return {
    cacheUsed,
    run(parent) {
      const module = new Module(file, parent);
      module.filename = file;
      const body = script.runInThisContext() as (...args: unknown[]) => void;
      body.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
      module.loaded = true;
      return module.exports;
    },
    save() {
      if (saved) return;
      saved = true;
      writeCache(cacheFile, Buffer.concat([digest, script.createCachedData()]));
    },
  };
}

/** The V8 data of a cache file made from these bytes; undefined when there is none, or it was made from other bytes. */
function readCache(cacheFile: string, digest: Buffer): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(cacheFile);
  } catch (error) {
    // No cache yet (ENOENT), or one this user cannot read: compile as Node would, and try to write one.
    if ((error as NodeJS.ErrnoException).code) return undefined;
    throw error;
  }
  if (data.length <= DIGEST_BYTES || !data.subarray(0, DIGEST_BYTES).equals(digest)) return undefined;
  return data.subarray(DIGEST_BYTES);
}

function writeCache(cacheFile: string, data: Buffer): void {
  const temp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, cacheFile);
  } catch (error) {
    // A directory this user cannot write (EACCES, EROFS, ENOSPC, ...): the next start compiles again, nothing else changes.
    if (!(error as NodeJS.ErrnoException).code) throw error;
    rmSync(temp, { force: true });
  }
}
