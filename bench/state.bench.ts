/**
 * What keeping the lesson costs a message: the framed closed loop (15 senders, each sending a
 * message to its own recipient and waiting for the ack before the next) through `serve` with
 * `--state none` (baseline) and with the lesson kept in a state folder, in the same run and
 * alternating, the fastest of three rounds each. Every message changes two students' counts, so the
 * kept relay notes a change per message and writes the lesson every stateWriteMs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeFrame } from '../src/protocol/frameCodec';
import { printTable, type BenchRow } from './table';

const PAIRS = 15;
const LOOP_MS = Number(process.env.BENCH_STATE_MS ?? 2000);
/** Rounds of each, alternating; the fastest of each counts (the machine is shared). */
const ROUNDS = 3;
const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
/** Limits out of the way: the loop measures the relay's work, not its allowances. */
const UNLIMITED = ['--rate', '1000000', '--rate-burst', '1000000', '--input-rate', '1000000'];
const UNLIMITED_ADDRESS = ['--input-rate-per-address', '1000000', '--registrations-per-minute', '100000'];

async function serve(state: string): Promise<{ child: ChildProcess; port: number }> {
  const args = [CLI, 'serve', '--host', '127.0.0.1', '--port', '0', '--state', state];
  const child = spawn(process.execPath, [...args, ...UNLIMITED, ...UNLIMITED_ADDRESS], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (data: string) => {
      output += data;
      const port = /listening on port (\d+)/.exec(output)?.[1];
      if (port && output.includes('Stop with Ctrl+C.')) resolve({ child, port: Number(port) });
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${output}`)));
  });
}

/** A framed client that reads lines and calls `onFrame` for each. */
async function client(port: number, name: string, onFrame: (frame: { type: string; id?: string }) => void) {
  const socket: Socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await once(socket, 'connect');
  let pending = '';
  socket.on('data', (data: Buffer) => {
    pending += data.toString('utf8');
    let end;
    while ((end = pending.indexOf('\n')) !== -1) {
      onFrame(JSON.parse(pending.slice(0, end)) as { type: string; id?: string });
      pending = pending.slice(end + 1);
    }
  });
  const welcomed = new Promise<void>((resolve) => {
    const previous = onFrame;
    onFrame = (frame) => (frame.type === 'welcome' ? resolve() : previous(frame));
  });
  socket.write(encodeFrame({ type: 'hello', protocol: 'classroom-relay', versions: [1], name }));
  await welcomed;
  return socket;
}

/** Messages per pair in LOOP_MS; returns the mean microseconds per message over all pairs. */
async function closedLoop(port: number): Promise<number> {
  const sockets: Socket[] = [];
  const counts: number[] = [];
  const deadline = performance.now() + LOOP_MS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PAIRS }, async (_, pair) => {
      sockets.push(await client(port, `Empfänger ${pair}`, () => {}));
      let acked: (() => void) | undefined;
      const sender = await client(port, `Sender ${pair}`, (frame) => {
        if (frame.type === 'ack') acked?.();
      });
      sockets.push(sender);
      let sent = 0;
      while (performance.now() < deadline) {
        const ack = new Promise<void>((resolve) => (acked = resolve));
        sender.write(encodeFrame({ type: 'send', id: `m${sent}`, to: `Empfänger ${pair}`, text: `Nachricht ${sent}` }));
        await ack;
        sent++;
      }
      counts[pair] = sent;
    }),
  );
  const elapsedMs = performance.now() - started;
  for (const socket of sockets) socket.destroy();
  const messages = counts.reduce((sum, count) => sum + count, 0);
  return (elapsedMs * 1000) / messages;
}

async function round(state: string): Promise<number> {
  const relay = await serve(state);
  try {
    return await closedLoop(relay.port);
  } finally {
    relay.child.kill('SIGTERM');
    await once(relay.child, 'exit');
  }
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'relay-bench-state-'));
  try {
    const none: number[] = [];
    const kept: number[] = [];
    for (let turn = 0; turn < ROUNDS; turn++) {
      none.push(await round('none'));
      kept.push(await round(join(folder, `lesson-${turn}`)));
    }
    const baseline: BenchRow = {
      operation: 'framed closed loop, --state none',
      input: `${PAIRS} pairs, ${LOOP_MS / 1000} s`,
      microsPerCall: Math.min(...none),
    };
    printTable('Keeping the lesson (a message sent and acknowledged; all pairs together)', [
      baseline,
      {
        operation: 'framed closed loop, lesson kept',
        input: baseline.input,
        microsPerCall: Math.min(...kept),
        baseline,
      },
    ]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

void main();
