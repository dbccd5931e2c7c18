/** `serve`'s flags for a relay that is one node of several, joined through NATS (docs/scale-out.md). */
import { hostname } from 'node:os';
import type { ClusterOptions } from '../server/cluster/natsLink';
import { NODE_ID } from '../server/cluster/clusterKeys';
import { UsageError } from './common';

export const NATS_URL_ENV = 'RELAY_NATS_URL';

export const CLUSTER_OPTIONS = {
  nats: { type: 'string' },
  'nats-creds': { type: 'string' },
  'nats-ca': { type: 'string' },
  'nats-replicas': { type: 'string' },
  node: { type: 'string' },
} as const;

export const CLUSTER_HELP = `  --nats URL[,URL...]
                join the other relay nodes through these NATS servers (nats://HOST:PORT,
                with JetStream): students on any node reach each other, names are
                unique across all of them (docs/scale-out.md). Without it, the relay
                is one process and loads nothing of NATS.
  --nats-creds FILE  a NATS credentials file, where the cluster asks for one
  --nats-ca FILE     a CA certificate (PEM) for TLS to NATS (tls://HOST:PORT)
  --nats-replicas N  copies of the relay's buckets and streams (1-5; default: 3, or
                1 for a single NATS server, as its servers advertise)
  --node NAME   this node's name in the cluster (letters, digits, _ and -;
                default: the host's name and the port)`;

export const CLUSTER_ENV_HELP = `  ${NATS_URL_ENV}     the NATS servers, when --nats is not given`;

interface ClusterValues {
  nats?: string;
  'nats-creds'?: string;
  'nats-ca'?: string;
  'nats-replicas'?: string;
  node?: string;
}

/** The cluster the flags (or RELAY_NATS_URL) ask for; undefined: a relay alone. */
export function clusterOf(values: ClusterValues, port: number, env = process.env): ClusterOptions | undefined {
  const given = values.nats ?? env[NATS_URL_ENV];
  if (given === undefined || given.trim() === '') {
    if (values.node ?? values['nats-creds'] ?? values['nats-ca'] ?? values['nats-replicas'])
      throw new UsageError('--node, --nats-creds, --nats-ca and --nats-replicas need --nats (or RELAY_NATS_URL)');
    return undefined;
  }
  const servers = given
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  for (const url of servers)
    if (!/^(nats|tls):\/\/[^\s/]+$/.test(url) && !/^[^\s/:]+:\d+$/.test(url))
      throw new UsageError(`--nats takes nats://HOST:PORT (or tls://HOST:PORT), comma-separated, not "${url}"`);
  const node =
    values.node ??
    `${hostname()
      .replace(/[^A-Za-z0-9_-]/g, '-')
      .slice(0, 50)}-${port}`;
  if (!NODE_ID.test(node)) throw new UsageError(`--node takes letters, digits, _ and - (at most 64), not "${node}"`);
  const replicas = values['nats-replicas'];
  if (replicas !== undefined && !/^[1-5]$/.test(replicas))
    throw new UsageError(`--nats-replicas takes a number of copies from 1 to 5, not "${replicas}"`);
  return {
    servers,
    node,
    ...(replicas !== undefined ? { replicas: Number(replicas) } : {}),
    ...(values['nats-creds'] ? { credsFile: values['nats-creds'] } : {}),
    ...(values['nats-ca'] ? { caFile: values['nats-ca'] } : {}),
  };
}
