/**
 * The network fuzz run: a relay process, well-behaved clients chatting at a human pace, and
 * hostile peers attacking at the same time. At the end it checks the relay's promises:
 * every message between well-behaved clients arrived once and in order, the relay's memory
 * stayed under a bound, and the relay is alive and welcomes a new client. With the second round
 * (bounds.ts) the relay also gets a TLS port and a teacher key, the attacks of attacksRoundTwo.ts
 * join in, and the class of classmates.ts is checked too. Used by
 * test/server/networkFuzz.int.test.ts (short) and scripts/fuzz.mjs (long).
 */
import { connect, createServer } from 'node:net';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { FrameDecoder, encodeFrame } from '../../../src/protocol/frameCodec';
import { parseServerFrame } from '../../../src/protocol/serverFrameParser';
import { runAttack, type AttackKind } from './attacks';
import { destroyAllHostile, newStats, type AttackContext, type AttackStats } from './hostileSockets';
import { Classmates } from './classmates';
import { ROUND_TWO_BOUNDS } from './bounds';
import { makeTlsFiles, type TlsFiles } from '../tls/selfSigned';
import { RELAY_DEFAULTS } from '../../../src/server/policy/defaults';
import { CourseWellBehaved, DeliveryLedger, FramedWellBehaved, chat, type WellBehaved } from './clients';
import { FuzzRandom } from './random';
import { RelayProcess, type RssSample } from './relay';

export interface NetworkFuzzOptions {
  seed: number;
  durationMs: number;
  /** The relay's resident memory must stay below this. */
  rssLimitBytes: number;
  /** No message between well-behaved clients may take longer than this to arrive. */
  latencyLimitMs: number;
  /** The CLI bundle to run as `node CLI serve`. */
  relayCli: string;
  /** Extra flags for `serve`, e.g. more generous limits. */
  serveArgs: string[];
  /** Bytes one flooding connection may send. */
  floodBytes: number;
  /** Loops per attack kind. */
  workers: Partial<Record<AttackKind, number>>;
  /** The second round: a TLS port and a teacher for the relay, and the class of classmates.ts watching. */
  roundTwo: boolean;
  /** Progress lines while the run goes on (long runs). */
  progress?: (line: string) => void;
}

export const DEFAULT_WORKERS: Partial<Record<AttackKind, number>> = {
  noise: 2,
  'split-frames': 2,
  'partial-frames': 1,
  'slow-readers': 1,
  'flood-x': 6,
  'flood-bad-frames': 6,
  'flood-big-messages': 2,
  churn: 2,
  'address-hog': 1,
};

/**
 * The second round's attackers: four connections of one address for each flood; silent sockets from
 * eight hosts on the plain port (each at its per-address limit: 512, every slot of a relay with the
 * defaults) and four on the TLS port.
 */
export const ROUND_TWO_WORKERS: Partial<Record<AttackKind, number>> = {
  'refused-flood': 4,
  'ping-flood': 4,
  'silent-plain': 8,
  'silent-tls': 4,
  'registration-churn': 2,
  'hand-flood': 1,
};

export interface NetworkFuzzReport {
  /** Every broken invariant, worded with its numbers; empty when the relay held. */
  violations: string[];
  /** What happened, for the log: figures of the clients, the attacks and the relay. */
  summary: string;
}

const FRAMED_NAMES = ['Anna', 'Bruno', 'Chiara', 'Dario', 'Elif', 'Fränzi'];
const COURSE_NAMES = ['Gian', 'Hanna', 'Ivo', 'Jana', 'Kilian', 'Lea'];
const SLOW_READERS = ['Slow1', 'Slow2', 'Slow3', 'Slow4', 'Slow5', 'Slow6'];
/** One message every 0.6 to 1.8 s per client: a fast typist, far below any rate limit for people. */
const CHAT_GAP_MS: [number, number] = [600, 1800];
/** How often the relay's RSS is read, and how long it may stay over the bound (twice the bound: not at all). */
const RSS_SAMPLE_MS = 200;
const RSS_GRACE_MS = 1000;
/** How long accepted messages may take to arrive after the attacks stop. */
const DRAIN_MS = 15_000;

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function runNetworkFuzz(options: NetworkFuzzOptions): Promise<NetworkFuzzReport> {
  const random = new FuzzRandom(options.seed);
  const violations: string[] = [];
  const port = await freePort();
  const tlsPort = options.roundTwo ? await freePort() : undefined;
  const tlsFiles: TlsFiles | undefined = options.roundTwo ? makeTlsFiles() : undefined;
  const teacherKey = randomBytes(16).toString('hex');
  const tlsArgs = tlsFiles
    ? ['--tls-cert', tlsFiles.cert, '--tls-key', tlsFiles.key, '--tls-port', String(tlsPort)]
    : [];
  const relay = await RelayProcess.start(
    options.relayCli,
    port,
    [...tlsArgs, ...options.serveArgs],
    RSS_SAMPLE_MS,
    options.roundTwo ? { ...process.env, RELAY_TEACHER_KEY: teacherKey } : process.env,
  );
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  let classmates: Classmates | undefined;
  const ledger = new DeliveryLedger(() => relay.elapsed());
  const wellBehavedNames = new Set([...FRAMED_NAMES, ...COURSE_NAMES]);
  const clients: WellBehaved[] = [];
  const stats = new Map<AttackKind, AttackStats>();
  let stopped = false;
  const phases: Array<[string, number]> = [];
  const phase = (what: string) => phases.push([what, relay.elapsed()]);
  let probe = 'not tried';
  const startRss = relay.readRss() ?? 0;
  try {
    for (const name of FRAMED_NAMES)
      clients.push(await FramedWellBehaved.connect(port, name, ledger, wellBehavedNames));
    for (const name of COURSE_NAMES)
      clients.push(await CourseWellBehaved.connect(port, name, ledger, wellBehavedNames));
    if (options.roundTwo) classmates = await Classmates.start(port, tlsPort, teacherKey, () => relay.elapsed());
    phase('clients registered');

    const deadline = Date.now() + options.durationMs;
    const over = () => stopped || Date.now() >= deadline || !relay.alive;
    const context: AttackContext = {
      port,
      tlsPort,
      stopped: over,
      wellBehaved: [...wellBehavedNames],
      slowReaders: SLOW_READERS,
      floodBytes: options.floodBytes,
      perAddress: perAddress(options.serveArgs),
    };
    const attackRuns = (Object.entries(options.workers) as Array<[AttackKind, number]>).map(
      ([kind, workers], index) => {
        const kindStats = newStats();
        stats.set(kind, kindStats);
        return runAttack(kind, workers, context, random.fork(100 + index), kindStats);
      },
    );
    const chats = clients.map((client, index) =>
      chat(
        client,
        [...wellBehavedNames].filter((name) => name !== client.name),
        random.fork(index),
        over,
        CHAT_GAP_MS,
      ),
    );
    const classRun = classmates?.run(over, random.fork(900), options.durationMs);
    const progress = options.progress && setInterval(() => options.progress!(progressLine(relay, ledger, stats)), 5000);
    const end = setTimeout(destroyAllHostile, options.durationMs);

    await Promise.all(attackRuns);
    phase('attacks ended');
    await Promise.all([...chats, classRun]);
    phase('chats ended');
    clearTimeout(end);
    if (progress) clearInterval(progress);

    // Accepted messages still on their way get time to arrive, attacks over.
    const drainUntil = Date.now() + DRAIN_MS;
    const outstanding = () => ledger.outstanding + (classmates?.ledger.outstanding ?? 0);
    while (outstanding() > 0 && Date.now() < drainUntil && relay.alive)
      await new Promise((resolve) => setTimeout(resolve, 100));
    phase('drained');
    probe = await freshHello(port);
    phase('probed');
  } catch (error) {
    violations.push(`run: ${(error as Error).message}`);
  } finally {
    stopped = true;
    destroyAllHostile();
    for (const client of clients) client.close();
    classmates?.close();
    loopDelay.disable();
  }

  const exit = relay.exit;
  const endedAtMs = relay.elapsed();
  const endRss = relay.readRss();
  await relay.stop();
  tlsFiles?.remove();

  if (exit)
    violations.push(
      `liveness: the relay exited at ${seconds(exit.atMs)} (code ${exit.code}, signal ${exit.signal}); last log lines:\n    ${relay.recentLog.slice(-10).join('\n    ')}`,
    );
  else if (probe !== 'welcome')
    violations.push(`liveness: a fresh client's hello after the attacks was not welcomed: ${probe}`);
  const max = relay.maxRss;
  const over = longestOver(relay.rss, options.rssLimitBytes);
  if (max && (over.ms >= RSS_GRACE_MS || max.bytes > 2 * options.rssLimitBytes)) {
    violations.push(
      `memory: the relay's RSS reached ${mb(max.bytes)} at ${seconds(max.atMs)} and stayed over the bound of ${mb(options.rssLimitBytes)} for ${seconds(over.ms)} from ${seconds(over.fromMs)} (started at ${mb(startRss)}; ${endRss === undefined ? 'gone at the end' : `${mb(endRss)} at the end`})`,
    );
  }
  violations.push(...ledger.violations());
  const figures = ledger.figures;
  if (figures.maxLatencyMs > options.latencyLimitMs) {
    violations.push(
      `responsiveness: a message between well-behaved clients took ${seconds(figures.maxLatencyMs)} to arrive (median ${figures.medianLatencyMs} ms), more than the bound of ${seconds(options.latencyLimitMs)}`,
    );
  }
  if (classmates) violations.push(...classmates.violations());
  const attackSeconds = options.durationMs / 1000;
  for (const [kind, kindStats] of stats) {
    const answered = kindStats.linesReceived / attackSeconds;
    if (
      options.roundTwo &&
      ROUND_TWO_BOUNDS.answeredKinds.includes(kind) &&
      answered > ROUND_TWO_BOUNDS.answeredPerAddressPerSecond
    )
      violations.push(
        `refused work: the relay answered ${kind}'s address ${Math.round(answered)} frames a second (${kindStats.linesReceived} in ${seconds(options.durationMs)}; bound ${ROUND_TWO_BOUNDS.answeredPerAddressPerSecond})`,
      );
  }
  const logRate = relay.logLines / (endedAtMs / 1000);
  if (options.roundTwo && logRate > ROUND_TWO_BOUNDS.logLinesPerSecond)
    violations.push(
      `log: the relay wrote ${relay.logLines} lines in ${seconds(endedAtMs)}, ${Math.round(logRate)} a second (bound ${ROUND_TWO_BOUNDS.logLinesPerSecond}; ${topEvents(relay)})`,
    );

  const summary = [
    `network fuzz: seed ${options.seed}, ${seconds(options.durationMs)} of attacks, relay ${options.relayCli} ${options.serveArgs.join(' ')}`.trimEnd(),
    `well-behaved: ${FRAMED_NAMES.length} framed + ${COURSE_NAMES.length} course clients; ${figures.sent} messages sent, ${figures.accepted} accepted by the relay, ${figures.received} arrived; time to arrive: median ${figures.medianLatencyMs} ms, max ${seconds(figures.maxLatencyMs)}`,
    `hostile: ${[...stats].map(([kind, kindStats]) => hostileFigures(kind, kindStats, attackSeconds)).join(', ')}`,
    ...(classmates?.summaryLines() ?? []),
    `relay RSS: ${mb(startRss)} at the start, max ${max ? `${mb(max.bytes)} at ${seconds(max.atMs)}` : '?'}, ${endRss === undefined ? 'gone' : mb(endRss)} at the end (bound ${mb(options.rssLimitBytes)})`,
    `timeline: ${phases.map(([what, atMs]) => `${what} ${seconds(atMs)}`).join(', ')}`,
    `relay RSS every 5 s: ${rssTimeline(relay)}`,
    `relay log: ${relay.logLines} lines, ${mb(relay.logBytes)} (${topEvents(relay)})`,
    `fresh hello after the attacks: ${probe}`,
    `this test process's event loop: delay p99 ${Math.round(loopDelay.percentile(99) / 1e6)} ms, max ${Math.round(loopDelay.max / 1e6)} ms (its own lag is part of every time measured)`,
    violations.length === 0
      ? 'all invariants held'
      : `${violations.length} invariant(s) broken:\n  - ${violations.join('\n  - ')}`,
    `FUZZ_SEED=${options.seed} repeats this run's choices (the network's timing varies)`,
  ].join('\n');
  return { violations, summary };
}

function topEvents(relay: RelayProcess): string {
  return [...relay.logEvents]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([event, count]) => `${event} ${count}`)
    .join(', ');
}

function hostileFigures(kind: AttackKind, stats: AttackStats, attackSeconds: number): string {
  const parts = [`${kind} ${stats.connections} conn`, mb(stats.bytesSent)];
  if (stats.failedConnects) parts.push(`${stats.failedConnects} failed`);
  if (stats.closedByRelay) parts.push(`${stats.closedByRelay} closed by relay`);
  if (stats.linesReceived >= attackSeconds)
    parts.push(`${Math.round(stats.linesReceived / attackSeconds)} lines answered/s`);
  if (stats.registrations) parts.push(`${stats.registrations} welcomed`);
  return parts.join('/');
}

/** Connections one address may hold: the `--max-per-address` of `serveArgs`, or the default. */
function perAddress(serveArgs: readonly string[]): number {
  const flag = serveArgs.indexOf('--max-per-address');
  const given = flag === -1 ? Number.NaN : Number(serveArgs[flag + 1]);
  return Number.isSafeInteger(given) && given > 0 ? given : RELAY_DEFAULTS.maxConnectionsPerAddress.value;
}

/**
 * The longest stretch of samples over `limit`. A single sample over it may be the moment of a
 * garbage collection; memory that is not bounded stays over it.
 */
function longestOver(samples: readonly RssSample[], limit: number): { ms: number; fromMs: number } {
  let best = { ms: 0, fromMs: 0 };
  let start: number | undefined;
  for (const [index, sample] of samples.entries()) {
    if (sample.bytes <= limit) {
      start = undefined;
      continue;
    }
    start ??= index;
    const ms = sample.atMs - samples[start]!.atMs + RSS_SAMPLE_MS;
    if (ms > best.ms) best = { ms, fromMs: samples[start]!.atMs };
  }
  return best;
}

function rssTimeline(relay: RelayProcess): string {
  const marks: string[] = [];
  let nextMs = 0;
  for (const sample of relay.rss) {
    if (sample.atMs < nextMs) continue;
    marks.push(`${Math.round(sample.atMs / 1000)}s ${Math.round(sample.bytes / 1024 / 1024)}`);
    nextMs = sample.atMs + 5000;
  }
  return `${marks.join(', ')} (MB)`;
}

function progressLine(relay: RelayProcess, ledger: DeliveryLedger, stats: Map<AttackKind, AttackStats>): string {
  const rss = relay.rss.at(-1);
  const hostileBytes = [...stats.values()].reduce((sum, kind) => sum + kind.bytesSent, 0);
  const figures = ledger.figures;
  return `${seconds(relay.elapsed())}: relay RSS ${rss ? mb(rss.bytes) : '?'}, ${figures.sent} sent / ${figures.received} arrived, hostile ${mb(hostileBytes)} sent, ${relay.logLines} log lines`;
}

/** A new framed client from 127.0.0.1 says hello; "welcome" when the relay welcomes it. */
async function freshHello(port: number): Promise<string> {
  const socket = connect({ host: '127.0.0.1', port, timeout: 10_000 });
  socket.on('error', () => {});
  socket.on('timeout', () => socket.destroy(new Error('no connection within 10 s')));
  try {
    await once(socket, 'connect');
    socket.setTimeout(0);
    socket.write(
      encodeFrame({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: 'Probe', client: 'network-fuzz' }),
    );
    const decoder = new FrameDecoder();
    return await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve('no answer within 10 s'), 10_000);
      socket.on('data', (data) => {
        for (const line of decoder.push(data)) {
          const parsed = line.kind === 'json' ? parseServerFrame(line.value) : undefined;
          if (parsed?.ok && parsed.frame.type === 'ping') continue;
          clearTimeout(timer);
          resolve(
            parsed?.ok
              ? parsed.frame.type === 'welcome'
                ? 'welcome'
                : JSON.stringify(parsed.frame).slice(0, 200)
              : 'a broken frame',
          );
        }
      });
      socket.on('close', () => {
        clearTimeout(timer);
        resolve('the relay closed the connection');
      });
    });
  } catch (error) {
    return (error as Error).message;
  } finally {
    socket.destroy();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}
