/**
 * `serve`'s cluster flags: --nats (or RELAY_NATS_URL) lists the NATS servers, --node names this
 * node (by default the host's name and the port), and what cannot be right is a usage error that
 * names the problem. Without --nats the relay is alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { NATS_URL_ENV, clusterOf } from '../../src/cli/serveCluster';
import { serveSetup } from '../../src/cli/serve';
import { UsageError } from '../../src/cli/common';
import { NODE_ID } from '../../src/server/cluster/clusterKeys';

const NO_ENV = {};

/** `fn` throws a usage error whose message matches `pattern`. */
function usageError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof UsageError, `a usage error, not ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

test('without --nats nor RELAY_NATS_URL the relay is alone', () => {
  assert.equal(clusterOf({}, 12345, NO_ENV), undefined);
  assert.equal(clusterOf({ nats: '  ' }, 12345, NO_ENV), undefined, 'an empty list is none');
  assert.equal(clusterOf({}, 12345, { [NATS_URL_ENV]: '' }), undefined);
});

test('--nats takes a comma-separated list of servers, spaces and empty items left out', () => {
  const cluster = clusterOf(
    { nats: ' nats://10.0.0.5:4222, tls://nats.school.example:4443,,10.0.0.6:4222 ' },
    1,
    NO_ENV,
  );
  assert.deepEqual(cluster?.servers, ['nats://10.0.0.5:4222', 'tls://nats.school.example:4443', '10.0.0.6:4222']);
});

test('RELAY_NATS_URL stands in for --nats, and --nats wins over it', () => {
  const env = { [NATS_URL_ENV]: 'nats://10.0.0.7:4222' };
  assert.deepEqual(clusterOf({ node: 'a' }, 1, env)?.servers, ['nats://10.0.0.7:4222']);
  assert.deepEqual(clusterOf({ nats: 'nats://10.0.0.8:4222', node: 'a' }, 1, env)?.servers, ['nats://10.0.0.8:4222']);
});

test("the node's name is --node, or by default the host's name and the port, made a valid node id", () => {
  assert.equal(clusterOf({ nats: 'nats://n:4222', node: 'relay_B-2' }, 12345, NO_ENV)?.node, 'relay_B-2');
  const node = clusterOf({ nats: 'nats://n:4222' }, 12345, NO_ENV)?.node ?? '';
  assert.match(node, NODE_ID);
  assert.ok(node.endsWith('-12345'), node);
  assert.equal(
    node,
    `${hostname()
      .replace(/[^A-Za-z0-9_-]/g, '-')
      .slice(0, 50)}-12345`,
  );
});

test('credentials and a CA file are passed on when given, and absent otherwise', () => {
  assert.deepEqual(
    clusterOf({ nats: 'tls://n:4222', node: 'a', 'nats-creds': 'r.creds', 'nats-ca': 'ca.pem' }, 1, NO_ENV),
    {
      servers: ['tls://n:4222'],
      node: 'a',
      credsFile: 'r.creds',
      caFile: 'ca.pem',
    },
  );
  assert.deepEqual(clusterOf({ nats: 'nats://n:4222', node: 'a' }, 1, NO_ENV), {
    servers: ['nats://n:4222'],
    node: 'a',
  });
});

test('a server that is not nats://HOST:PORT, tls://HOST:PORT or HOST:PORT is a usage error naming it', () => {
  for (const url of ['http://n:4222', 'nats://n:4222/path', 'nats://', 'n', 'n:port', 'nats://a b:4222', 'ws://n:80'])
    usageError(
      () => clusterOf({ nats: `nats://ok:4222,${url}`, node: 'a' }, 1, NO_ENV),
      new RegExp(`--nats takes nats://HOST:PORT.*not "${url.replace(/[/.]/g, '\\$&')}"`),
    );
  usageError(() => clusterOf({ node: 'a' }, 1, { [NATS_URL_ENV]: 'http://n' }), /--nats takes .*"http:\/\/n"/);
});

test('a node name that is not letters, digits, _ and - (at most 64) is a usage error naming it', () => {
  for (const node of ['', 'node.1', 'node 1', 'nöde', 'a>', 'x'.repeat(65)])
    usageError(
      () => clusterOf({ nats: 'nats://n:4222', node }, 1, NO_ENV),
      new RegExp(`--node takes letters, digits, _ and - \\(at most 64\\), not "${node.replace(/[.>]/g, '\\$&')}"`),
    );
});

test('--node, --nats-creds, --nats-ca or --nats-replicas without --nats is a usage error', () => {
  for (const values of [{ node: 'a' }, { 'nats-creds': 'r.creds' }, { 'nats-ca': 'ca.pem' }, { 'nats-replicas': '3' }])
    usageError(
      () => clusterOf(values, 1, NO_ENV),
      /--node, --nats-creds, --nats-ca and --nats-replicas need --nats \(or RELAY_NATS_URL\)/,
    );
});

test('--nats-replicas takes 1 to 5 copies, and anything else is a usage error naming it', () => {
  assert.deepEqual(clusterOf({ nats: 'nats://n:4222', node: 'a', 'nats-replicas': '3' }, 1, NO_ENV), {
    servers: ['nats://n:4222'],
    node: 'a',
    replicas: 3,
  });
  for (const replicas of ['0', '6', 'three', '2.5', '-1', ''])
    usageError(
      () => clusterOf({ nats: 'nats://n:4222', node: 'a', 'nats-replicas': replicas }, 1, NO_ENV),
      new RegExp(`--nats-replicas takes a number of copies from 1 to 5, not "${replicas.replace(/[.]/g, '\\$&')}"`),
    );
});

test('serve --nats and --node land in what serve runs, and serve alone joins nothing', () => {
  const saved = process.env[NATS_URL_ENV];
  delete process.env[NATS_URL_ENV];
  try {
    const joined = serveSetup(['--nats', 'nats://10.0.0.5:4222', '--node', 'left-wing']);
    assert.equal(joined.type, 'run');
    assert.deepEqual(joined.type === 'run' ? joined.cluster : undefined, {
      servers: ['nats://10.0.0.5:4222'],
      node: 'left-wing',
    });
    const alone = serveSetup([]);
    assert.equal(alone.type === 'run' ? alone.cluster : 'no run', undefined);
    assert.throws(() => serveSetup(['--node', 'left-wing']), /need --nats/);
  } finally {
    if (saved !== undefined) process.env[NATS_URL_ENV] = saved;
  }
});
