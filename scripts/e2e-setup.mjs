// Guarantees: after `node scripts/e2e-setup.mjs` exits 0, the end-to-end suite has what it needs on a
// Debian machine with only Node 20, npm and apt: /usr/bin/chromium, Debian's rg, the headers and fonts
// code-server and Chromium want, and code-server (pinned below) installed under the git-ignored
// .e2e/code-server/ (its own package.json, never the project's dependencies). It is idempotent and
// returns in well under a second when everything is already there. Nothing downloads a binary from
// outside npm and Debian: @vscode/ripgrep's download cache is seeded with Debian's rg, and the native
// modules whose installers would fetch a prebuilt binary (argon2, kerberos) are built from source.
// The recipe is ARCHITECTURE.md §5 ("Testing VS Code for real").
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CODE_SERVER_VERSION = '4.103.2';
const APT_PACKAGES = ['chromium', 'ripgrep', 'libkrb5-dev', 'fonts-liberation'];
/** Build tools for the native modules, by command → the Debian package that provides it. */
const BUILD_TOOLS = { make: 'make', 'g++': 'g++', python3: 'python3' };

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const installDir = join(root, '.e2e', 'code-server');
const packageDir = join(installDir, 'node_modules', 'code-server');
const stampFile = join(installDir, 'installed.json');
const started = Date.now();

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
function step(title, fn) {
  const t0 = Date.now();
  console.log(`e2e-setup: ${title}…`);
  const result = fn();
  console.log(`e2e-setup: ${title}: done in ${seconds(Date.now() - t0)}`);
  return result;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw new Error(`${command} ${args.join(' ')} could not start: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
}

const commandExists = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
const debInstalled = (name) => spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout === 'install ok installed';

function ensureAptPackages() {
  const missing = [
    ...APT_PACKAGES.filter((name) => !debInstalled(name)),
    ...Object.entries(BUILD_TOOLS)
      .filter(([command]) => !commandExists(command))
      .map(([, pkg]) => pkg),
  ];
  if (missing.length === 0) {
    console.log(`e2e-setup: apt packages present (${APT_PACKAGES.join(', ')})`);
    return;
  }
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}; run as root, or: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  step('apt-get update', () => run('apt-get', ['update', '-q'], { env }));
  step(`apt-get install ${missing.join(' ')}`, () => run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env }));
}

/** The installed code-server is complete when the stamp names this version and its binaries are in place. */
function codeServerInstalled() {
  if (!existsSync(stampFile)) return false;
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  return (
    stamp.version === CODE_SERVER_VERSION &&
    existsSync(join(packageDir, 'out', 'node', 'entry.js')) &&
    existsSync(join(packageDir, 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'))
  );
}

/** npm's environment for code-server: ARCHITECTURE.md §5 plus the switches that keep binaries local. */
function npmEnv(buildFromSource) {
  return {
    ...process.env,
    // code-server 4.103.2 declares Node 22; its postinstall accepts Node 20 with this, and it runs on it.
    FORCE_NODE_VERSION: '20',
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    // Under `npm run`, the project's engine-strict=true arrives as an env var and would refuse code-server.
    npm_config_engine_strict: 'false',
    // node-gyp takes the headers of the installed Node instead of downloading them.
    npm_config_nodedir: '/usr',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
    // node-pre-gyp (argon2) and prebuild-install (kerberos) fetch prebuilt binaries from outside npm
    // unless told to build; both accept a package name here (and @parcel/watcher keeps its npm-shipped
    // binary, since it builds only for the value "true").
    npm_config_build_from_source: buildFromSource,
    // The ripgrep cache below lives in os.tmpdir(): pin the same TMPDIR for npm's children.
    TMPDIR: tmpdir(),
  };
}

function ripgrepTarget() {
  if (arch() === 'x64') return 'x86_64-unknown-linux-musl';
  if (arch() === 'arm64') return 'aarch64-unknown-linux-musl';
  throw new Error(`the e2e setup seeds @vscode/ripgrep for linux x64 and arm64 only (this is ${arch()})`);
}

/**
 * Seeds @vscode/ripgrep's download cache with Debian's rg, so its postinstall finds the archive and
 * downloads nothing: `${os.tmpdir()}/vscode-ripgrep-cache-<package version>/ripgrep-<binary version>-<target>.tar.gz`
 * with `rg` at the top. Both versions are read from the packages code-server pins.
 */
function seedRipgrepCache() {
  const shrinkwrap = JSON.parse(readFileSync(join(packageDir, 'lib', 'vscode', 'npm-shrinkwrap.json'), 'utf8'));
  const packageVersion = shrinkwrap.packages?.['node_modules/@vscode/ripgrep']?.version;
  if (!packageVersion) throw new Error('code-server’s lib/vscode/npm-shrinkwrap.json names no @vscode/ripgrep version');
  const work = mkdtempSync(join(tmpdir(), 'mcplexer-e2e-rg-'));
  try {
    run('npm', ['pack', `@vscode/ripgrep@${packageVersion}`, '--pack-destination', work, '--silent'], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
    run('tar', ['xzf', join(work, `vscode-ripgrep-${packageVersion}.tgz`), '-C', work, 'package/lib/postinstall.js']);
    const postinstall = readFileSync(join(work, 'package', 'lib', 'postinstall.js'), 'utf8');
    const binaryVersion = /const VERSION = '([^']+)'/.exec(postinstall)?.[1];
    if (!binaryVersion) throw new Error(`@vscode/ripgrep ${packageVersion}: no VERSION constant in lib/postinstall.js`);
    const cacheDir = join(tmpdir(), `vscode-ripgrep-cache-${packageVersion}`);
    const archive = join(cacheDir, `ripgrep-${binaryVersion}-${ripgrepTarget()}.tar.gz`);
    mkdirSync(cacheDir, { recursive: true });
    const staging = join(work, 'rg');
    mkdirSync(staging);
    copyFileSync('/usr/bin/rg', join(staging, 'rg'));
    run('tar', ['czf', archive, '-C', staging, 'rg']);
    console.log(`e2e-setup: @vscode/ripgrep ${packageVersion} (${binaryVersion}) will use Debian's rg from ${archive}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function installCodeServer() {
  rmSync(installDir, { recursive: true, force: true });
  mkdirSync(installDir, { recursive: true });
  const manifest = {
    name: 'mcplexer-e2e-code-server',
    version: '0.0.0',
    private: true,
    description: 'code-server for the MCPlexer end-to-end tests, installed by scripts/e2e-setup.mjs (git-ignored).',
    dependencies: { 'code-server': CODE_SERVER_VERSION },
    allowScripts: { 'code-server': true, argon2: true, 'unrs-resolver': true },
  };
  writeFileSync(join(installDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // Scripts run only after the ripgrep cache is seeded, whose versions come from the fetched package.
  step(`npm install code-server@${CODE_SERVER_VERSION} --ignore-scripts`, () =>
    run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: installDir, env: npmEnv('false') }),
  );
  step('seed the @vscode/ripgrep cache from /usr/bin/rg', seedRipgrepCache);
  step('build argon2 and unrs-resolver', () =>
    run('npm', ['rebuild', 'argon2', 'unrs-resolver', '--foreground-scripts'], { cwd: installDir, env: npmEnv('argon2') }),
  );
  // code-server's postinstall runs `npm install` in lib/vscode (kerberos, node-pty, spdlog, ripgrep…) and lib/vscode/extensions.
  step('code-server postinstall (VS Code’s native modules)', () =>
    run('npm', ['rebuild', 'code-server', '--foreground-scripts'], { cwd: installDir, env: npmEnv('kerberos') }),
  );
  if (!existsSync(join(packageDir, 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'))) {
    throw new Error('code-server installed without @vscode/ripgrep/bin/rg: see the postinstall output above');
  }
  writeFileSync(stampFile, `${JSON.stringify({ version: CODE_SERVER_VERSION, installedAt: new Date().toISOString() }, null, 2)}\n`);
}

try {
  step('Debian packages', ensureAptPackages);
  if (!existsSync('/usr/bin/chromium')) throw new Error('/usr/bin/chromium is missing after the apt step');
  if (codeServerInstalled()) console.log(`e2e-setup: code-server ${CODE_SERVER_VERSION} present in ${installDir}`);
  else step(`code-server ${CODE_SERVER_VERSION}`, installCodeServer);
  console.log(`e2e-setup: ready in ${seconds(Date.now() - started)}`);
} catch (error) {
  console.error(`e2e-setup: failed: ${error.message}`);
  process.exit(1);
}
