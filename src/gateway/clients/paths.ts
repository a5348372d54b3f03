import { homedir } from 'node:os';
import path from 'node:path';

/** The operating systems the registry knows paths for (Node's `process.platform` names). */
export type Platform = 'darwin' | 'linux' | 'win32';

/**
 * The base folders client config paths are built from, read from the environment the gateway was
 * given (tests point every one of them at a temp dir). `join` is the platform's own path joiner,
 * so Windows paths come out with backslashes even when computed elsewhere (unit tests).
 */
export interface Dirs {
  platform: Platform;
  home: string;
  /** `%APPDATA%` (Windows), `~/Library/Application Support` (macOS), `$XDG_CONFIG_HOME` or `~/.config` (Linux). */
  appConfig: string;
  /** `$XDG_CONFIG_HOME` or `~/.config` on every OS (the tools that follow XDG everywhere: opencode, Zed on Unix). */
  xdgConfig: string;
  env: NodeJS.ProcessEnv;
  join: (...parts: string[]) => string;
}

/** The platform the gateway runs on, as one the registry knows (anything else is treated as Linux). */
export function currentPlatform(): Platform {
  return process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'linux';
}

/**
 * The base folders for `env` on `platform`: `HOME` (or `USERPROFILE` on Windows) else the OS's
 * home, `APPDATA` else `<home>\AppData\Roaming`, `XDG_CONFIG_HOME` (absolute only, as the XDG spec
 * says) else `<home>/.config`.
 */
export function dirsFor(env: NodeJS.ProcessEnv, platform: Platform = currentPlatform()): Dirs {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const home = (platform === 'win32' ? env.USERPROFILE || env.HOME : env.HOME) || homedir();
  const xdg = env.XDG_CONFIG_HOME && p.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : p.join(home, '.config');
  const appConfig =
    platform === 'win32' ? env.APPDATA || p.join(home, 'AppData', 'Roaming') : platform === 'darwin' ? p.join(home, 'Library', 'Application Support') : xdg;
  return { platform, home, appConfig, xdgConfig: xdg, env, join: (...parts) => p.join(...parts) };
}
