// Makes sure the programs the tests run for real are on this machine: python3 (the course's
// programs, re-created), netcat, openssl (certificates for the TLS tests), Chromium for the chat panel, and
// nats-server (the relay nodes joined through a NATS cluster, and `npm run cluster`). Installs
// what is missing when it can (root with apt-get);
// otherwise names what is missing and the command that installs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { findNatsServer } from './natsCluster.mjs';

const needs = [
  { command: 'python3', probe: ['--version'], apt: 'python3' },
  { command: 'nc', probe: ['-h'], apt: 'netcat-openbsd' },
  { command: 'openssl', probe: ['version'], apt: 'openssl' },
  { command: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', probe: ['--version'], apt: 'chromium' },
  // Debian puts it in /usr/sbin, off the PATH of users other than root; found there all the same.
  { command: 'nats-server', find: findNatsServer, probe: ['--version'], apt: 'nats-server' },
];

const present = (need) => {
  const result = spawnSync(need.find?.() ?? need.command, need.probe, { stdio: 'ignore' });
  return !result.error;
};

const missing = needs.filter((need) => !present(need));
if (missing.length === 0) process.exit(0);

const packages = missing.map((need) => need.apt);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
if (isRoot && hasApt) {
  console.log(`Installing test prerequisites: ${packages.join(' ')}`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const still = missing.filter((need) => !present(need));
  if (still.length === 0) process.exit(0);
  console.error(`Still missing after install: ${still.map((need) => need.command).join(', ')}`);
  process.exit(1);
}
console.error(
  `The tests need ${missing.map((need) => need.command).join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed.`,
);
console.error(`Install with: sudo apt-get install ${packages.join(' ')}`);
process.exit(1);
