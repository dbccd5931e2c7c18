/** The relay's limits as flags of `serve`: their help and defaults (the defaults table's), and the policy they make. */
import type { ParseArgsConfig } from 'node:util';
import { RELAY_DEFAULTS } from '../server/policy/defaults';
import { fromFlagUnits, inFlagUnits, type FlaggedDefault } from '../server/policy/defaultsRead';
import type { PolicyOverrides } from '../server/policy/policy';
import { UsageError } from './common';

/** The defaults a limit flag sets, in the order `serve --help` lists them, and where each goes in the policy. */
const LIMITS: ReadonlyArray<{ entry: FlaggedDefault; apply: (value: number, policy: PolicyOverrides) => void }> = [
  { entry: RELAY_DEFAULTS.maxConnections, apply: (value, policy) => (policy.maxConnections = value) },
  {
    entry: RELAY_DEFAULTS.maxConnectionsPerAddress,
    apply: (value, policy) => (policy.maxConnectionsPerAddress = value),
  },
  {
    entry: RELAY_DEFAULTS.ratePerMinute,
    apply: (value, policy) => (policy.rate = { ...policy.rate, perMinute: value }),
  },
  { entry: RELAY_DEFAULTS.rateBurst, apply: (value, policy) => (policy.rate = { ...policy.rate, burst: value }) },
  {
    entry: RELAY_DEFAULTS.registrationsPerMinute,
    apply: (value, policy) => (policy.registrations = { ...policy.registrations, perMinute: value }),
  },
  {
    entry: RELAY_DEFAULTS.registrationBurst,
    apply: (value, policy) => (policy.registrations = { ...policy.registrations, burst: value }),
  },
  { entry: RELAY_DEFAULTS.courseIdleMs, apply: (value, policy) => (policy.courseIdleMs = value) },
  { entry: RELAY_DEFAULTS.keepaliveMs, apply: (value, policy) => (policy.keepaliveMs = value) },
  { entry: RELAY_DEFAULTS.registrationTimeoutMs, apply: (value, policy) => (policy.registrationTimeoutMs = value) },
  {
    entry: RELAY_DEFAULTS.maxUnregistered,
    apply: (value, policy) => (policy.unregistered = { ...policy.unregistered, total: value }),
  },
  {
    entry: RELAY_DEFAULTS.maxUnregisteredPerAddress,
    apply: (value, policy) => (policy.unregistered = { ...policy.unregistered, perAddress: value }),
  },
  {
    entry: RELAY_DEFAULTS.silentMs,
    apply: (value, policy) => (policy.unregistered = { ...policy.unregistered, silentMs: value }),
  },
  {
    entry: RELAY_DEFAULTS.inputPerSecond,
    apply: (value, policy) => (policy.input = { ...policy.input, perSecond: value }),
  },
  {
    entry: RELAY_DEFAULTS.inputPerAddress,
    apply: (value, policy) => (policy.input = { ...policy.input, addressPerSecond: value }),
  },
  {
    entry: RELAY_DEFAULTS.outputTotalBytes,
    apply: (value, policy) => (policy.outputTotal = { ...policy.outputTotal, messageBytes: value }),
  },
  { entry: RELAY_DEFAULTS.maxClasses, apply: (value, policy) => (policy.classes = { ...policy.classes, max: value }) },
  {
    entry: RELAY_DEFAULTS.maxClassesPerAddress,
    apply: (value, policy) => (policy.classes = { ...policy.classes, perAddress: value }),
  },
  {
    entry: RELAY_DEFAULTS.classIdleMs,
    apply: (value, policy) => (policy.classes = { ...policy.classes, idleMs: value }),
  },
  { entry: RELAY_DEFAULTS.maxConnectionsPerClass, apply: (value, policy) => (policy.maxConnectionsPerClass = value) },
];

export const LIMIT_OPTIONS = Object.fromEntries(
  LIMITS.map(({ entry }) => [entry.flag.name, { type: 'string' }]),
) as Record<string, { type: 'string' }> satisfies ParseArgsConfig['options'];

/** Column where a flag's help starts, and the width its lines are wrapped to. */
const HELP_COLUMN = 28;
const HELP_WIDTH = 50;

/** A flag's lines of help: the flag, then its description and default, wrapped beside or below it. */
export function flagHelp(entry: FlaggedDefault, placeholder: string, column = HELP_COLUMN): string {
  const words = `${entry.description} (default ${inFlagUnits(entry)})`.split(' ');
  const lines: string[] = [];
  for (const word of words) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 1 + word.length <= HELP_WIDTH) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  const flag = `  --${entry.flag.name} ${placeholder}`;
  const indent = ' '.repeat(column);
  return flag.length < column
    ? [flag.padEnd(column) + lines[0], ...lines.slice(1).map((line) => indent + line)].join('\n')
    : [flag, ...lines.map((line) => indent + line)].join('\n');
}

export const LIMITS_HELP = `Limits (defaults fit a class of thirty; see docs/reliability.md):
${LIMITS.map(({ entry }) => flagHelp(entry, 'N')).join('\n')}`;

/** The policy the limit flags ask for; a flag that is not a positive number is a usage error. */
export function policyOf(values: Record<string, unknown>): PolicyOverrides {
  const policy: PolicyOverrides = {};
  for (const { entry, apply } of LIMITS) {
    const raw = values[entry.flag.name];
    if (raw === undefined) continue;
    const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
    const value = Number(text);
    if (typeof raw !== 'string' || !/^\d+(\.\d+)?$/.test(text) || !(value > 0))
      throw new UsageError(`--${entry.flag.name} must be a positive number, not "${text}"`);
    apply(fromFlagUnits(entry.flag, value), policy);
  }
  return policy;
}
