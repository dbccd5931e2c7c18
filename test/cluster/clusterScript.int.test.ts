/**
 * `npm run cluster` (scripts/cluster.mjs): three NATS servers and two relay nodes on this machine, their addresses
 * printed, a message across the nodes, and nothing left when Ctrl+C stops it.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../../scripts/natsCluster.mjs';
import { ROOT } from '../helpers/paths';
import { CLI, runCli, start, stopAll } from '../helpers/process/processes';
import { eventually } from '../helpers/time/wait';

after(stopAll);

/** Until the relay's serve knows --nats, there is no cluster to start. */
const servesClusters = spawnSync(process.execPath, [CLI, 'serve', '--help'], { encoding: 'utf8' }).stdout.includes(
  '--nats',
);

/** A course-dialect client (as netcat would be): a name, then what comes back. */
async function courseClient(port: number, name: string): Promise<{ socket: Socket; received: () => string }> {
  const socket = connect({ host: '127.0.0.1', port });
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(`${name}\n`);
  return { socket, received: () => received };
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test(
  'npm run cluster prints both relay nodes, carries a message from one to the other and stops everything on Ctrl+C',
  { skip: servesClusters ? false : 'serve has no --nats yet', timeout: 90_000 },
  async () => {
    const [a, b] = [await freePort(), await freePort()];
    const cluster = start(process.execPath, [
      join(ROOT, 'scripts', 'cluster.mjs'),
      '--no-build',
      '--ports',
      `${a},${b}`,
    ]);
    await cluster.waitFor('Stop everything with Ctrl+C.', 60_000);
    const out = cluster.stdout;
    assert.match(out, new RegExp(`^  127\\.0\\.0\\.1:${a},127\\.0\\.0\\.1:${b}$`, 'm'), 'the line for relay.server');
    const natsPids = [...out.matchAll(/^ {2}n\d {2}nats:\/\/127\.0\.0\.1:\d+ +pid (\d+)$/gm)].map((m) => Number(m[1]));
    assert.equal(natsPids.length, 3, out);
    const folder = /^Stores, logs and lessons: (\S+)/m.exec(out)?.[1];
    assert.ok(folder && existsSync(folder));

    const bob = await courseClient(b, 'Bob');
    await eventually(
      () => cluster.stdout.includes('join      Bob'),
      () => 'Bob joined relay-b',
      10_000,
    );
    // From the command-line client on relay-a to a course client on relay-b: across the nodes and the dialects.
    // Bob's name reaches relay-a's directory a moment after he joined relay-b.
    const deadline = Date.now() + 15_000;
    const send = () =>
      runCli(['send', '--server', `127.0.0.1:${a}`, '--name', 'Alice', '--to', 'Bob', 'Hallo über zwei Knoten']);
    let sent = await send();
    while (sent.code === 5 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      sent = await send();
    }
    assert.equal(sent.code, 0, sent.stdout + sent.stderr);
    await eventually(
      () => bob.received().includes('Alice: Hallo über zwei Knoten'),
      () => `Bob got: ${JSON.stringify(bob.received())}`,
      10_000,
    );
    bob.socket.destroy();

    cluster.process.kill('SIGINT');
    assert.deepEqual(await cluster.exited, { code: 0, signal: null });
    assert.deepEqual(natsPids.filter(running), []);
    assert.equal(existsSync(folder), false);
  },
);
