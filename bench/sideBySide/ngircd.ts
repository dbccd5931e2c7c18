/**
 * ngircd, the IRC server the relay is compared with: found, or installed from Debian's packages
 * when missing (as root, with apt), and configured in a temporary folder to listen on 127.0.0.1
 * only, without flood protection or limits on connections, DNS or ident look-ups.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const CANDIDATES = ['/usr/sbin/ngircd', '/usr/bin/ngircd', '/usr/local/sbin/ngircd'];
/** Keeps the package's own service from starting during the install (Debian's policy-rc.d convention). */
const POLICY = '/usr/sbin/policy-rc.d';

export type NgircdFound = { ok: true; binary: string; version: string } | { ok: false; reason: string };

function find(): string | undefined {
  return CANDIDATES.find((path) => existsSync(path));
}

function install(): string | undefined {
  if (process.getuid?.() !== 0) return 'ngircd is not installed, and installing it needs root (apt-get install ngircd)';
  console.log('ngircd is missing: installing it with apt-get (Debian package ngircd)');
  const ownPolicy = !existsSync(POLICY);
  if (ownPolicy) writeFileSync(POLICY, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    const get = spawnSync('apt-get', ['install', '-y', 'ngircd'], { stdio: 'inherit', env });
    if (update.status !== 0 || get.status !== 0) return 'apt-get could not install ngircd';
  } finally {
    if (ownPolicy) unlinkSync(POLICY);
  }
  return undefined;
}

export function findOrInstallNgircd(): NgircdFound {
  let binary = find();
  if (!binary) {
    const failed = install();
    if (failed) return { ok: false, reason: failed };
    binary = find();
    if (!binary) return { ok: false, reason: 'ngircd was installed but cannot be found' };
  }
  const output = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  const version = /ngIRCd\s+(\d+(?:\.\d+)*)/.exec(`${output.stdout}${output.stderr}`)?.[1] ?? 'unknown version';
  return { ok: true, binary, version };
}

/** Writes the configuration for a server on `port` into `dir`, checks it, and returns its path. */
export function writeNgircdConfig(binary: string, dir: string, port: number): string {
  const file = join(dir, `ngircd-${port}.conf`);
  const config = [
    '[Global]',
    'Name = bench.invalid',
    'Info = side-by-side benchmark',
    'Listen = 127.0.0.1',
    `Ports = ${port}`,
    'MotdPhrase = bench',
    '[Limits]',
    'MaxConnections = 0',
    'MaxConnectionsIP = 0',
    'MaxJoins = 0',
    'MaxPenaltyTime = 0',
    'MaxNickLength = 9',
    'PingTimeout = 600',
    'PongTimeout = 600',
    '[Options]',
    'DNS = no',
    'Ident = no',
    'PAM = no',
    '',
  ].join('\n');
  writeFileSync(file, config);
  execFileSync(binary, ['--configtest', '-f', file], { stdio: 'ignore' });
  return file;
}
