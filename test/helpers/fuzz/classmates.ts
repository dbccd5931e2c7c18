/**
 * What a class sees while the second round's attacks run: classmates (two framed and two course
 * clients on an address of their own) chatting across the dialects, whose time from sender to
 * recipient is measured;
 * a fresh client every few seconds that must be registered quickly (plain and TLS, framed and
 * course); and a teacher whose roster must show the classmate's raised hand. Their promises are
 * checked against ROUND_TWO_BOUNDS (bounds.ts).
 */
import { connect, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { once } from 'node:events';
import { FrameDecoder, encodeFrame } from '../../../src/protocol/frameCodec';
import { parseServerFrame } from '../../../src/protocol/serverFrameParser';
import { notFoundLine } from '../../../src/protocol/course';
import type { Roster } from '../../../src/protocol/classroom';
import { ROUND_TWO_BOUNDS as BOUNDS } from './bounds';
import { CourseWellBehaved, DeliveryLedger, FramedWellBehaved, chat } from './clients';
import type { FuzzRandom } from './random';

const CLASSMATE_ADDRESS = '127.0.0.2';
const NEWCOMER_ADDRESS = '127.0.0.3';
const TEACHER_ADDRESS = '127.0.0.4';
const FRAMED_CLASSMATES = ['Mia', 'Lina'];
const COURSE_CLASSMATES = ['Noah', 'Timo'];
/** The classmate who raises her hand. */
const HAND = FRAMED_CLASSMATES[0]!;
const TEACHER = 'Keller';

type NewcomerKind = 'framed' | 'course' | 'framed over TLS';

interface Newcomer {
  kind: NewcomerKind;
  name: string;
  atMs: number;
  /** How long until it was registered, or what went wrong. */
  outcome: { ms: number } | { problem: string };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The value below which `share` of the sorted `values` lie. */
export function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1))]!;
}

export class Classmates {
  readonly ledger: DeliveryLedger;
  private readonly newcomers: Newcomer[] = [];
  /** When the classmate's hand was up: from its raising to its lowering (or the attack's end). */
  private readonly handUp: Array<{ fromMs: number; untilMs: number }> = [];
  private attackStartedAtMs = 0;
  private attackEndedAtMs = Number.POSITIVE_INFINITY;
  /** What the relay sent the framed classmates while the attack ran. */
  private bytesDuringAttack = 0;

  private constructor(
    private readonly port: number,
    private readonly tlsPort: number | undefined,
    private readonly clock: () => number,
    private readonly framed: FramedWellBehaved[],
    private readonly course: CourseWellBehaved[],
    private readonly teacher: Teacher,
    ledger: DeliveryLedger,
  ) {
    this.ledger = ledger;
  }

  static async start(port: number, tlsPort: number | undefined, teacherKey: string, clock: () => number) {
    const ledger = new DeliveryLedger(clock);
    const peers = new Set([...FRAMED_CLASSMATES, ...COURSE_CLASSMATES]);
    const framed: FramedWellBehaved[] = [];
    const course: CourseWellBehaved[] = [];
    for (const name of FRAMED_CLASSMATES)
      framed.push(await FramedWellBehaved.connect(port, name, ledger, peers, CLASSMATE_ADDRESS));
    for (const name of COURSE_CLASSMATES)
      course.push(await CourseWellBehaved.connect(port, name, ledger, peers, CLASSMATE_ADDRESS));
    const teacher = await Teacher.connect(port, teacherKey, clock);
    return new Classmates(port, tlsPort, clock, framed, course, teacher, ledger);
  }

  /** Chats, raises the hand and sends newcomers until `over()`. */
  async run(over: () => boolean, random: FuzzRandom, durationMs: number): Promise<void> {
    this.attackStartedAtMs = this.clock();
    const bytesBefore = this.framedBytes();
    const chats = [
      ...this.framed.map((client, index) =>
        chat(client, COURSE_CLASSMATES, random.fork(1 + index), over, BOUNDS.classmateGapMs),
      ),
      ...this.course.map((client, index) =>
        chat(client, FRAMED_CLASSMATES, random.fork(11 + index), over, BOUNDS.classmateGapMs),
      ),
    ];
    const hand = (async () => {
      await sleepUnless(durationMs * BOUNDS.handRaisedAtShare, over);
      while (!over()) {
        const period = { fromMs: this.clock(), untilMs: Number.POSITIVE_INFINITY };
        this.handUp.push(period);
        this.framed[0]!.hand(true, 'Wie schliesse ich den Socket richtig?');
        await sleepUnless(BOUNDS.handUpMs, over);
        if (over()) break;
        period.untilMs = this.clock();
        this.framed[0]!.hand(false);
        await sleepUnless(300, over);
      }
    })();
    const attempts: Array<Promise<void>> = [];
    const kinds: NewcomerKind[] = [
      'framed',
      'course',
      ...(this.tlsPort === undefined ? [] : ['framed over TLS' as const]),
    ];
    for (let index = 0; !over(); index++) {
      await sleepUnless(BOUNDS.newcomerEveryMs, over);
      if (over()) break;
      attempts.push(this.newcomer(kinds[index % kinds.length]!, `Neu${index + 1}`));
    }
    this.attackEndedAtMs = this.clock();
    this.bytesDuringAttack = this.framedBytes() - bytesBefore;
    await Promise.all([...chats, hand, ...attempts]);
  }

  close(): void {
    for (const client of [...this.framed, ...this.course]) client.close();
    this.teacher.close();
  }

  /** Every broken promise to the class, worded with its numbers. */
  violations(): string[] {
    const out = this.ledger.violations().map((violation) => `classmates' ${violation}`);
    const latencies = this.ledger.latencies();
    const [median, p99, max] = [percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.at(-1) ?? 0];
    if (median > BOUNDS.classmateMedianMs || p99 > BOUNDS.classmateP99Ms || max > BOUNDS.classmateMaxMs)
      out.push(
        `classmate latency: the classmates' ${latencies.length} messages took median ${median} ms, p99 ${p99} ms, max ${max} ms to arrive (bounds ${BOUNDS.classmateMedianMs}, ${BOUNDS.classmateP99Ms}, ${BOUNDS.classmateMaxMs} ms)`,
      );
    const late = this.newcomers.filter(
      (newcomer) => !('ms' in newcomer.outcome) || newcomer.outcome.ms > BOUNDS.newcomerRegisterMs,
    );
    if (late.length > 0)
      out.push(
        `newcomers: ${late.length} of ${this.newcomers.length} fresh clients were not registered within ${seconds(BOUNDS.newcomerRegisterMs)}: ${late
          .slice(0, 6)
          .map(describeNewcomer)
          .join('; ')}${late.length > 6 ? '; …' : ''}`,
      );
    if (this.handUp.length > 0) out.push(...this.handViolations());
    return out;
  }

  private rostersListingHand(): string {
    const rosters = this.rostersWhileHandUp();
    return `${rosters.filter(({ roster }) => listsHand(roster)).length} of the ${rosters.length} rosters while it was up`;
  }

  /** The rosters from a roster period after the hand went up until it went down or the attack ended. */
  private rostersWhileHandUp(): Array<{ atMs: number; roster: Roster }> {
    return this.teacher.rosters.filter(({ atMs }) =>
      this.handUp.some(
        ({ fromMs, untilMs }) =>
          atMs >= fromMs + BOUNDS.handListedWithinMs && atMs <= Math.min(untilMs, this.attackEndedAtMs),
      ),
    );
  }

  /** Every roster while the hand is up (a roster period after its raising on) must list it. */
  private handViolations(): string[] {
    const rosters = this.rostersWhileHandUp();
    const first = this.handUp[0]!.fromMs;
    if (rosters.length === 0)
      return [
        `roster: the teacher got no roster during the attack while ${HAND}'s hand was up (from ${seconds(first)})`,
      ];
    const hidden = rosters.filter(({ roster }) => !listsHand(roster));
    if (hidden.length === 0) return [];
    const { atMs, roster } = hidden[0]!;
    const hands = roster.entries.filter((entry) => entry.hand).length;
    return [
      `roster: ${hidden.length} of the ${rosters.length} rosters the teacher got while ${HAND}'s hand was up (from ${seconds(first)}) do not list it; the first at ${seconds(atMs)}: ${roster.entries.length} entries of ${roster.total}, ${hands} hands`,
    ];
  }

  private framedBytes(): number {
    return this.framed.reduce((sum, client) => sum + client.bytesReceived, 0);
  }

  summaryLines(): string[] {
    const attackS = (this.attackEndedAtMs - this.attackStartedAtMs) / 1000;
    const perClient = this.bytesDuringAttack / this.framed.length / Math.max(attackS, 0.001) / 1024;
    const latencies = this.ledger.latencies();
    const figures = this.ledger.figures;
    const registered = this.newcomers.flatMap((newcomer) => ('ms' in newcomer.outcome ? [newcomer.outcome.ms] : []));
    const roster = this.teacher.lastRosterBefore(this.attackEndedAtMs);
    return [
      `classmates (${FRAMED_CLASSMATES.join(', ')} framed, ${COURSE_CLASSMATES.join(', ')} course, from ${CLASSMATE_ADDRESS}): ${figures.sent} messages sent, ${figures.received} arrived; sender→recipient median ${percentile(latencies, 0.5)} ms, p99 ${percentile(latencies, 0.99)} ms, max ${latencies.at(-1) ?? 0} ms; the relay sent each framed classmate ${perClient.toFixed(1)} KB/s during the attack (messages, acks, presence, pings)`,
      `newcomers (from ${NEWCOMER_ADDRESS}, every ${seconds(BOUNDS.newcomerEveryMs)}): ${registered.length} of ${this.newcomers.length} registered, in ${registered.length ? `${Math.min(...registered)}–${Math.max(...registered)} ms` : '—'}${
        this.newcomers.length > registered.length
          ? `; not: ${this.newcomers
              .filter((newcomer) => !('ms' in newcomer.outcome))
              .slice(0, 3)
              .map(describeNewcomer)
              .join('; ')}`
          : ''
      }`,
      `teacher: ${this.teacher.rosters.length} rosters; the last during the attack ${roster ? `at ${seconds(roster.atMs)}: ${roster.roster.entries.length} entries of ${roster.roster.total}, ${roster.roster.entries.filter((entry) => entry.hand).length} hands` : 'never came'}; ${this.handUp.length === 0 ? `${HAND} raised no hand` : `${HAND} raised her hand ${this.handUp.length}× from ${seconds(this.handUp[0]!.fromMs)}, listed in ${this.rostersListingHand()}`}`,
    ];
  }

  private async newcomer(kind: NewcomerKind, name: string): Promise<void> {
    const atMs = this.clock();
    const record: Newcomer = { kind, name, atMs, outcome: { problem: 'not tried' } };
    this.newcomers.push(record);
    const socket =
      kind === 'framed over TLS'
        ? connectTls({
            socket: connect({ host: '127.0.0.1', port: this.tlsPort!, localAddress: NEWCOMER_ADDRESS }),
            servername: 'localhost',
            rejectUnauthorized: false,
          })
        : connect({ host: '127.0.0.1', port: this.port, localAddress: NEWCOMER_ADDRESS });
    socket.on('error', () => {});
    try {
      const answer = kind === 'course' ? courseAnswer(socket, name) : welcomeOf(socket);
      if (kind === 'course') socket.write(`${name}\nNiemand-${name}:hallo\n`);
      else socket.write(encodeFrame({ type: 'hello', protocol: 'classroom-relay', versions: [1], name }));
      const problem = await answer;
      record.outcome = problem === undefined ? { ms: this.clock() - atMs } : { problem };
      if (kind !== 'course' && problem === undefined) socket.write(encodeFrame({ type: 'bye' }));
      socket.end();
    } finally {
      setTimeout(() => socket.destroy(), 500).unref();
    }
  }
}

function listsHand(roster: Roster): boolean {
  return roster.entries.some((entry) => entry.name === HAND && entry.hand !== undefined);
}

function describeNewcomer(newcomer: Newcomer): string {
  const what = 'ms' in newcomer.outcome ? `registered after ${newcomer.outcome.ms} ms` : newcomer.outcome.problem;
  return `${newcomer.kind} ${newcomer.name} at ${seconds(newcomer.atMs)}: ${what}`;
}

async function sleepUnless(ms: number, over: () => boolean): Promise<void> {
  const until = Date.now() + ms;
  while (!over() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, Math.min(100, ms)));
}

/** Undefined when the relay welcomes the hello sent on `socket`; otherwise what happened instead. */
function welcomeOf(socket: Socket): Promise<string | undefined> {
  return new Promise((resolve) => {
    const decoder = new FrameDecoder();
    const timer = setTimeout(
      () => finish(`no welcome within ${seconds(BOUNDS.newcomerGiveUpMs)}`),
      BOUNDS.newcomerGiveUpMs,
    );
    const finish = (problem: string | undefined) => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.removeAllListeners('close');
      resolve(problem);
    };
    socket.on('data', (data: Buffer) => {
      for (const line of decoder.push(data)) {
        const parsed = line.kind === 'json' ? parseServerFrame(line.value) : undefined;
        if (parsed?.ok && parsed.frame.type === 'ping') continue;
        if (parsed?.ok && parsed.frame.type === 'welcome') return finish(undefined);
        return finish(
          `answered ${parsed?.ok ? JSON.stringify(parsed.frame).slice(0, 120) : 'with a broken frame'} instead of a welcome`,
        );
      }
    });
    socket.on('close', () => finish('the relay closed the connection before a welcome'));
  });
}

/** Undefined when the relay answers a course newcomer's first message (to a name nobody has): it is registered. */
function courseAnswer(socket: Socket, name: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    let pending = '';
    const expected = notFoundLine(`Niemand-${name}`);
    const timer = setTimeout(
      () => finish(`no answer within ${seconds(BOUNDS.newcomerGiveUpMs)}`),
      BOUNDS.newcomerGiveUpMs,
    );
    const finish = (problem: string | undefined) => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.removeAllListeners('close');
      resolve(problem);
    };
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      pending += text;
      const end = pending.indexOf('\n');
      if (end === -1) return;
      const line = pending.slice(0, end);
      finish(line === expected ? undefined : `answered ${JSON.stringify(line.slice(0, 120))}`);
    });
    socket.on('close', () => finish('the relay closed the connection before answering'));
  });
}

/** A teacher on an address of its own: registers with the key, answers pings, keeps the last roster. */
class Teacher {
  /** Every roster the teacher got (at most one a second), with when it came. */
  readonly rosters: Array<{ atMs: number; roster: Roster }> = [];
  private readonly decoder = new FrameDecoder();
  private welcomed: (() => void) | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly clock: () => number,
  ) {
    socket.on('data', (data: Buffer) => this.receive(data));
  }

  static async connect(port: number, teacherKey: string, clock: () => number): Promise<Teacher> {
    const socket = connect({ host: '127.0.0.1', port, localAddress: TEACHER_ADDRESS });
    socket.on('error', () => {});
    await once(socket, 'connect');
    const teacher = new Teacher(socket, clock);
    const welcome = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the teacher ${TEACHER} was not welcomed within 10 s`)), 10_000);
      teacher.welcomed = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    socket.write(encodeFrame({ type: 'hello', protocol: 'classroom-relay', versions: [1], name: TEACHER, teacherKey }));
    await welcome;
    return teacher;
  }

  lastRosterBefore(atMs: number): { atMs: number; roster: Roster } | undefined {
    for (let index = this.rosters.length - 1; index >= 0; index--)
      if (this.rosters[index]!.atMs <= atMs) return this.rosters[index];
    return undefined;
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(data: Buffer): void {
    for (const line of this.decoder.push(data)) {
      const parsed = line.kind === 'json' ? parseServerFrame(line.value) : undefined;
      if (!parsed?.ok) continue;
      const frame = parsed.frame;
      if (frame.type === 'welcome') this.welcomed?.();
      if (frame.type === 'ping')
        this.socket.write(encodeFrame(frame.id === undefined ? { type: 'pong' } : { type: 'pong', id: frame.id }));
      if (frame.type === 'roster') {
        this.rosters.push({ atMs: this.clock(), roster: { entries: frame.entries, total: frame.total } });
      }
    }
  }
}
