/**
 * The NATS servers the cluster tests and `npm run cluster` start (scripts/natsCluster.mjs): real nats-server
 * processes on 127.0.0.1, one alone or three joined into a JetStream cluster, and none left behind.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { startNatsServers, type NatsServers } from '../../scripts/natsCluster.mjs';
import { ROOT } from '../helpers/paths';
import { eventually } from '../helpers/time/wait';

const started: NatsServers[] = [];
const connections: NatsConnection[] = [];
after(async () => {
  await Promise.all(connections.map((nc) => nc.close().catch(() => {})));
  await Promise.all(started.map((nats) => nats.stop()));
});

async function servers(count: number): Promise<NatsServers> {
  const nats = await startNatsServers({ count });
  started.push(nats);
  return nats;
}

async function client(url: string): Promise<NatsConnection> {
  // One server each, so that a test knows which server a write went through.
  const nc = await connect({ servers: url, reconnect: false });
  connections.push(nc);
  return nc;
}

/** Whether `pid` is a running process (a zombie waiting for its parent's wait() counts as ended). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The nats-servers this process started that are still running. */
function ownNatsServers(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [, name, state, parent] = /^\d+ \((.*)\) (\S) (\d+)/.exec(stat) ?? [];
        return name === 'nats-server' && state !== 'Z' && Number(parent) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Runs `attempt` until it succeeds or `timeoutMs` passed (then rethrows its last error). */
async function retried<T>(attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => assert.fail('a second create of the same key was accepted'),
    (error: Error) => error.message,
  );

describe('NATS servers for the cluster tests', () => {
  test(
    'one server with JetStream: a key created by one client is refused a second create by another',
    { timeout: 60_000 },
    async () => {
      const nats = await servers(1);
      assert.equal(nats.urls.length, 1);
      assert.match(nats.urls[0]!, /^nats:\/\/127\.0\.0\.1:\d+$/);
      const [a, b] = [await client(nats.urls[0]!), await client(nats.urls[0]!)];
      const names = await new Kvm(a).create('relay_names', { history: 1 });
      await names.create('_.QWxpY2U', JSON.stringify({ node: 'relay-a' }));
      const other = await new Kvm(b).open('relay_names');
      assert.match(
        await refusal(other.create('_.QWxpY2U', JSON.stringify({ node: 'relay-b' }))),
        /wrong last sequence/,
      );
      assert.equal((await other.get('_.QWxpY2U'))?.string(), JSON.stringify({ node: 'relay-a' }));
    },
  );

  test(
    'three servers form one cluster: a key made through one is refused a second create through another',
    { timeout: 60_000 },
    async () => {
      const nats = await servers(3);
      assert.equal(new Set(nats.urls).size, 3);
      const [first, third] = [await client(nats.urls[0]!), await client(nats.urls[2]!)];
      const names = await new Kvm(first).create('relay_names', { replicas: 3 });
      assert.equal((await names.status()).streamInfo.config.num_replicas, 3);
      await names.create('4kx-92m.Qm9i', 'relay-a');
      const elsewhere = await new Kvm(third).open('relay_names');
      assert.match(await refusal(elsewhere.create('4kx-92m.Qm9i', 'relay-b')), /wrong last sequence/);
      // A subject published through one server reaches a subscriber on another (the routes carry core NATS too).
      // The subscriber's interest reaches the other server through the route a moment later: sent until it arrives.
      const subscription = third.subscribe('relay.room._.presence', { max: 1 });
      await third.flush();
      const received = (async () => {
        for await (const message of subscription) return message.string();
        return undefined;
      })();
      const publishing = setInterval(() => first.publish('relay.room._.presence', 'joined Alice'), 50);
      try {
        assert.equal(await received, 'joined Alice');
      } finally {
        clearInterval(publishing);
      }
    },
  );

  test('with one of three servers killed, the other two still take KV writes', { timeout: 60_000 }, async () => {
    const nats = await servers(3);
    const survivor = await client(nats.urls[1]!);
    const names = await new Kvm(survivor).create('relay_names', { replicas: 3 });
    await names.create('_.QQ', 'before');
    await nats.servers[0]!.kill('SIGKILL');
    assert.equal(nats.servers[0]!.running, false);
    // The stream may need a moment to elect a new leader when the killed server led it.
    await retried(() => names.create('_.Qg', 'after'), 30_000);
    assert.equal((await names.get('_.Qg'))?.string(), 'after');
    assert.match(await refusal(names.create('_.QQ', 'again')), /wrong last sequence/);
  });

  test('stop() ends every nats-server it started and removes the folder it made', { timeout: 60_000 }, async () => {
    const nats = await startNatsServers({ count: 3 });
    const pids = nats.servers.map((server) => server.pid!);
    assert.ok(pids.every(running), 'the servers run before stop()');
    await nats.stop();
    assert.deepEqual(pids.filter(running), []);
    assert.equal(existsSync(nats.dir), false);
    await nats.stop();
  });

  test(
    'a process that dies outright (SIGKILL) leaves no nats-server and no folder behind',
    { timeout: 60_000 },
    async () => {
      const module = pathToFileURL(join(ROOT, 'scripts', 'natsCluster.mjs')).href;
      const script = `import { startNatsServers } from ${JSON.stringify(module)};
      const nats = await startNatsServers({ count: 3 });
      console.log(JSON.stringify({ pids: nats.servers.map((server) => server.pid), dir: nats.dir }));
      setInterval(() => {}, 1000);`;
      const holder = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const { pids, dir } = await new Promise<{ pids: number[]; dir: string }>((resolve, reject) => {
        let out = '';
        holder.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          out += chunk;
          if (out.includes('\n')) resolve(JSON.parse(out) as { pids: number[]; dir: string });
        });
        holder.once('exit', () => reject(new Error(`the holder ended before starting its servers: ${out}`)));
      });
      assert.equal(pids.length, 3);
      assert.ok(pids.every(running));
      holder.kill('SIGKILL');
      await eventually(
        () => pids.every((pid) => !running(pid)),
        () => `nats-servers still running: ${pids.filter(running).join(' ')}`,
        10_000,
        100,
      );
      await eventually(
        () => !existsSync(dir),
        () => `${dir} still there`,
        5000,
        100,
      );
    },
  );

  test(
    'a server that cannot listen is reported with its log and leaves no process behind',
    { timeout: 60_000 },
    async () => {
      const taken: Server = createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as { port: number }).port;
      const before = ownNatsServers();
      try {
        await assert.rejects(
          startNatsServers({ count: 1, ports: [port], timeoutMs: 10_000 }),
          /address already in use/,
        );
      } finally {
        taken.close();
      }
      assert.deepEqual(ownNatsServers(), before);
    },
  );
});
