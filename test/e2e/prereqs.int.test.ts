/**
 * The end-to-end suite installs Node 24 and code-server with a nested npm. Under `npm test`, npm
 * exports its own settings (the user agent naming Node 20 among them); the nested install must
 * not inherit them, or code-server's postinstall refuses to install on a fresh machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { installerEnv, npmInstall } from './prereqs';

/** What `npm test` run by npm 11 on Node 20 hands to its scripts. */
const UNDER_NPM_TEST: NodeJS.ProcessEnv = {
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_config_cache: '/root/.npm',
  npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  npm_package_name: 'classroom-relay',
  npm_package_version: '0.1.0',
  npm_lifecycle_event: 'test',
  npm_lifecycle_script: 'npm run typecheck && node --test',
  npm_node_execpath: '/usr/local/bin/node',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_command: 'test',
  INIT_CWD: '/work/main',
};

test('the installer hands npm no npm_* variable it inherited, only those it sets on purpose', () => {
  const folder = mkdtempSync(join(tmpdir(), 'relay-installer-'));
  try {
    // A stand-in npm first on PATH records the environment it is started with.
    const bin = join(folder, 'bin');
    const record = join(folder, 'env.json');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'npm'),
      `#!/bin/sh\nexec "${process.execPath}" -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify(process.env))' "${record}"\n`,
    );
    chmodSync(join(bin, 'npm'), 0o755);
    const env = installerEnv(
      { ...process.env, ...UNDER_NPM_TEST, PATH: [bin, process.env.PATH].join(delimiter) },
      {
        npm_config_nodedir: '/cache/node24',
        npm_config_dangerously_allow_all_scripts: 'true',
      },
    );
    npmInstall(join(folder, 'target'), 'code-server@4.139.1', env, () => {});
    const handed = JSON.parse(readFileSync(record, 'utf8')) as Record<string, string>;
    const npmVariables = Object.keys(handed)
      .filter((key) => /^npm_/i.test(key) || key === 'INIT_CWD')
      .sort();
    assert.deepEqual(npmVariables, ['npm_config_dangerously_allow_all_scripts', 'npm_config_nodedir']);
    assert.equal(handed.npm_config_nodedir, '/cache/node24');
    assert.equal(handed.PATH?.split(delimiter)[0], bin, 'PATH is kept');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('a real npm started with the installer environment reports its own user agent, not the inherited one', () => {
  const forged = 'npm/11 node/v20.1.0 linux x64 inherited';
  const inherited = spawnSync('npm', ['config', 'get', 'user-agent'], {
    env: { ...process.env, npm_config_user_agent: forged },
    encoding: 'utf8',
  });
  assert.equal(inherited.stdout.trim(), forged, 'npm takes an inherited npm_config_user_agent as its setting');
  const clean = spawnSync('npm', ['config', 'get', 'user-agent'], {
    env: installerEnv({ ...process.env, npm_config_user_agent: forged }),
    encoding: 'utf8',
  });
  assert.equal(clean.status, 0, clean.stderr);
  assert.notEqual(clean.stdout.trim(), forged);
  assert.match(clean.stdout, /^npm\/\{npm-version\} node\/\{node-version\}|^npm\/\d/);
});
