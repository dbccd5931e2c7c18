/** The relay's limits as flags of `serve`: their help, and the policy they make. */
import type { ParseArgsConfig } from 'node:util';
import { DEFAULT_POLICY, type PolicyOverrides } from '../server/policy';
import { UsageError } from './common';

interface LimitFlag {
  help: string;
  /** The default as the flag shows it. */
  shown: number;
  apply(value: number, policy: PolicyOverrides): void;
}

const d = DEFAULT_POLICY;

const FLAGS: Record<string, LimitFlag> = {
  'max-connections': {
    help: 'connections open at once, in total',
    shown: d.maxConnections,
    apply: (value, policy) => (policy.maxConnections = value),
  },
  'max-per-address': {
    help: 'connections from one address; a class behind one\nNAT router shares one address: raise it for a big class',
    shown: d.maxConnectionsPerAddress,
    apply: (value, policy) => (policy.maxConnectionsPerAddress = value),
  },
  rate: {
    help: 'messages per minute one sender may send on\naverage',
    shown: d.rate.perMinute,
    apply: (value, policy) => (policy.rate = { ...policy.rate, perMinute: value }),
  },
  'rate-burst': {
    help: 'messages one sender may send at once before\nthe rate applies',
    shown: d.rate.burst,
    apply: (value, policy) => (policy.rate = { ...policy.rate, burst: value }),
  },
  'course-idle-minutes': {
    help: 'a course client (Python, netcat) that sends\nnothing this long is disconnected',
    shown: d.courseIdleMs / 60_000,
    apply: (value, policy) => (policy.courseIdleMs = value * 60_000),
  },
  'keepalive-seconds': {
    help: 'relay clients silent this long are pinged, and\ndropped after three times as long',
    shown: d.keepaliveMs / 1000,
    apply: (value, policy) => (policy.keepaliveMs = value * 1000),
  },
  'registration-seconds': {
    help: 'a connection that has not sent its name by then is closed',
    shown: d.registrationTimeoutMs / 1000,
    apply: (value, policy) => (policy.registrationTimeoutMs = value * 1000),
  },
};

export const LIMIT_OPTIONS = Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: 'string' }])) as Record<
  keyof typeof FLAGS,
  { type: 'string' }
> satisfies ParseArgsConfig['options'];

export const LIMITS_HELP = `Limits (defaults fit a class of thirty; see docs/reliability.md):
${Object.entries(FLAGS)
  .map(([flag, { help, shown }]) => helpLines(`  --${flag} N`, `${help} (default ${shown})`))
  .join('\n')}`;

function helpLines(flag: string, help: string): string {
  const [first, ...rest] = help.split('\n');
  return [flag.padEnd(28) + first, ...rest.map((line) => ' '.repeat(28) + line)].join('\n');
}

/** The policy the limit flags ask for; a flag that is not a positive number is a usage error. */
export function policyOf(values: Record<string, unknown>): PolicyOverrides {
  const policy: PolicyOverrides = {};
  for (const [flag, { apply }] of Object.entries(FLAGS)) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (typeof raw !== 'string' || !/^\d+(\.\d+)?$/.test(raw) || !(value > 0))
      throw new UsageError(`--${flag} must be a positive number, not "${String(raw)}"`);
    apply(value, policy);
  }
  return policy;
}
