/**
 * A flood in one class and the latency of another: class B's message latency (p50 and p99 of a
 * closed loop of a few pairs, each sending to its own recipient and waiting for the ack before the
 * next, at most one every PACE_MS) through `serve`, alone (baseline), while class A floods at its
 * rate limit from many clients, and as a contrast with the flood and the pairs all in the default
 * class, in the same run, alternating, the best of three rounds each. The relay's message rate is
 * raised so the flood is real: every flooding sender sends a fifth more than the relay lets it.
 * Then the same flood against the relay's own limits, which refuse it and close the flooding
 * connections, with class B's pairs sending within theirs. Class B's messages refused, if any, are
 * counted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { encodeFrame } from '../src/protocol/frameCodec';
import type { ClientFrame } from '../src/protocol/frames';
import { printTable, type BenchRow } from './table';

const PAIRS = 3;
const FLOODERS = 16;
/** A pair of class B sends its next message once the last was acknowledged, and no sooner than this after it. */
const PACE_MS = 2;
const FLOOD_RECIPIENTS = 4;
const LOOP_MS = Number(process.env.BENCH_CLASSES_MS ?? 2000);
const ROUNDS = 3;
/**
 * Every sender's allowance: 1,000 messages a second, twice what a pair of the closed loop sends
 * (PACE_MS), so class B is not refused, and 16 flooding senders may ask 16,000 a second of the relay.
 */
const RATE_PER_MINUTE = 60_000;
/** What a flooding sender writes every tick of 10 ms: a fifth more than its rate, so it sends at its limit. */
const FLOOD_PER_TICK = 12;
const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const CLASSES = ['--class-creation', 'open', '--max-classes-per-address', '100', '--state', 'none'];
const RAISED = [
  ...['--rate', String(RATE_PER_MINUTE), '--rate-burst', '100', '--input-rate', '5000'],
  ...['--input-rate-per-address', '1000000', '--registrations-per-minute', '100000', '--max-per-address', '200'],
  ...CLASSES,
];
/**
 * The relay's own limits: a sender may send 120 messages a minute with a burst of 60, so class B's
 * pairs send one message every DEFAULT_PACE_MS (about 57 in 2 s, within the burst and the rate).
 */
const DEFAULT_PACE_MS = 35;
type Limits = 'raised' | 'default';

type Frame = { type: string; id?: string; code?: string; status?: string };
type Where = 'own classes' | 'default class';

async function serve(limits: Limits): Promise<{ child: ChildProcess; port: number }> {
  const args = [CLI, 'serve', '--host', '127.0.0.1', '--port', '0', ...(limits === 'raised' ? RAISED : CLASSES)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
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

/** A framed connection that calls `onFrame` for each frame it reads. */
async function open(port: number, onFrame: (frame: Frame) => void): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  await once(socket, 'connect');
  let pending = '';
  socket.on('data', (data: Buffer) => {
    pending += data.toString('utf8');
    let end;
    while ((end = pending.indexOf('\n')) !== -1) {
      onFrame(JSON.parse(pending.slice(0, end)) as Frame);
      pending = pending.slice(end + 1);
    }
  });
  return socket;
}

/** A registered client of class `code` (undefined: the default class). */
async function client(port: number, name: string, code: string | undefined, onFrame: (frame: Frame) => void) {
  let welcomed: () => void = () => {};
  const welcome = new Promise<void>((resolve) => (welcomed = resolve));
  const socket = await open(port, (frame) => (frame.type === 'welcome' ? welcomed() : onFrame(frame)));
  const hello: ClientFrame = { type: 'hello', protocol: 'classroom-relay', versions: [1], name, class: code };
  socket.write(encodeFrame(hello));
  await welcome;
  return socket;
}

async function makeClass(port: number): Promise<string> {
  let made: (code: string) => void = () => {};
  const code = new Promise<string>((resolve) => (made = resolve));
  const socket = await open(port, (frame) => frame.type === 'class-created' && made(frame.code!));
  socket.write(encodeFrame({ type: 'class-create', id: 'c1' }));
  const answer = await code;
  socket.destroy();
  return answer;
}

/** Class A's senders, each writing more than its rate allows to the class's recipients, until stopped. */
async function flood(port: number, code: string | undefined): Promise<() => { sent: number; delivered: number }> {
  const sockets: Socket[] = [];
  for (let index = 0; index < FLOOD_RECIPIENTS; index++)
    sockets.push(await client(port, `Ziel ${index}`, code, () => {}));
  let sent = 0;
  let delivered = 0;
  const counted = (frame: Frame) => frame.type === 'ack' && frame.status === 'delivered' && delivered++;
  const senders = await Promise.all(
    Array.from({ length: FLOODERS }, (_, index) => client(port, `Flut ${index}`, code, counted)),
  );
  sockets.push(...senders);
  const timer = setInterval(() => {
    for (const [index, sender] of senders.entries())
      for (let burst = 0; burst < FLOOD_PER_TICK; burst++) {
        const to = `Ziel ${(index + burst) % FLOOD_RECIPIENTS}`;
        sender.write(encodeFrame({ type: 'send', id: `f${sent++}`, to, text: 'Flut '.repeat(20) }));
      }
  }, 10);
  return () => {
    clearInterval(timer);
    for (const socket of sockets) socket.destroy();
    return { sent, delivered };
  };
}

/** Class B's closed loop for LOOP_MS: each message's latency, in microseconds, and how many were refused. */
async function closedLoop(
  port: number,
  code: string | undefined,
  pace: number,
): Promise<{ latencies: number[]; refused: number }> {
  const sockets: Socket[] = [];
  const latencies: number[] = [];
  let refused = 0;
  const deadline = performance.now() + LOOP_MS;
  await Promise.all(
    Array.from({ length: PAIRS }, async (_, pair) => {
      sockets.push(await client(port, `Empfänger ${pair}`, code, () => {}));
      let acked: ((frame: Frame) => void) | undefined;
      const sender = await client(port, `Sender ${pair}`, code, (frame) => frame.type === 'ack' && acked?.(frame));
      sockets.push(sender);
      for (let sent = 0; performance.now() < deadline; sent++) {
        const ack = new Promise<Frame>((resolve) => (acked = resolve));
        const started = performance.now();
        sender.write(encodeFrame({ type: 'send', id: `m${sent}`, to: `Empfänger ${pair}`, text: `Nachricht ${sent}` }));
        if ((await ack).status !== 'delivered') refused++;
        latencies.push((performance.now() - started) * 1000);
        const wait = started + pace - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }),
  );
  for (const socket of sockets) socket.destroy();
  return { latencies, refused };
}

interface Round {
  p50: number;
  p99: number;
  flooded: { sent: number; delivered: number };
  refused: number;
}

async function round(flooding: boolean, where: Where, limits: Limits): Promise<Round> {
  const relay = await serve(limits);
  try {
    const [a, b] = where === 'own classes' ? [await makeClass(relay.port), await makeClass(relay.port)] : [];
    const stop = flooding ? await flood(relay.port, a) : () => ({ sent: 0, delivered: 0 });
    const { latencies, refused } = await closedLoop(relay.port, b, limits === 'raised' ? PACE_MS : DEFAULT_PACE_MS);
    const flooded = stop();
    latencies.sort((x, y) => x - y);
    const at = (share: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))]!;
    return { p50: at(0.5), p99: at(0.99), flooded, refused };
  } finally {
    relay.child.kill('SIGTERM');
    await once(relay.child, 'exit');
  }
}

async function main(): Promise<void> {
  const scenarios: Array<{ label: string; flooding: boolean; where: Where; limits: Limits; rounds: Round[] }> = [
    { label: 'class B alone', flooding: false, where: 'own classes', limits: 'raised', rounds: [] },
    { label: 'class B, class A flooding', flooding: true, where: 'own classes', limits: 'raised', rounds: [] },
    { label: 'default class alone', flooding: false, where: 'default class', limits: 'raised', rounds: [] },
    { label: 'default class, flood in it', flooding: true, where: 'default class', limits: 'raised', rounds: [] },
    { label: "class B alone, relay's limits", flooding: false, where: 'own classes', limits: 'default', rounds: [] },
    {
      label: "class B, A flooding, relay's limits",
      flooding: true,
      where: 'own classes',
      limits: 'default',
      rounds: [],
    },
  ];
  for (let turn = 0; turn < ROUNDS; turn++)
    for (const scenario of scenarios)
      scenario.rounds.push(await round(scenario.flooding, scenario.where, scenario.limits));
  const input = (scenario: (typeof scenarios)[number]) => {
    const { sent, delivered } = scenario.rounds.at(-1)!.flooded;
    const refused = Math.max(...scenario.rounds.map((each) => each.refused));
    const pace = scenario.limits === 'raised' ? PACE_MS : DEFAULT_PACE_MS;
    const pairs = `${PAIRS} pairs, one per ${pace} ms, ${LOOP_MS / 1000} s, ${refused} refused`;
    const flood = `${FLOODERS} senders sent ${sent.toLocaleString('en-US')}, ${delivered.toLocaleString('en-US')} delivered`;
    return scenario.flooding ? `${pairs}; ${flood}` : pairs;
  };
  for (const percentile of ['p50', 'p99'] as const) {
    const rows: BenchRow[] = [];
    for (const [index, scenario] of scenarios.entries()) {
      const baseline = index % 2 === 1 ? rows[index - 1] : undefined;
      const microsPerCall = Math.min(...scenario.rounds.map((each) => each[percentile]));
      rows.push({ operation: scenario.label, input: input(scenario), microsPerCall, baseline });
    }
    printTable(
      `A flood in one class and the latency of another: ${percentile} of a message sent and acknowledged`,
      rows,
    );
  }
}

void main();
