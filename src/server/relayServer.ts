/**
 * The relay: one process, event-driven on node:net. Each connection is sniffed on its first
 * byte: `{` opens the framed protocol, anything else is a course-dialect name. Connections are
 * limited in total and per remote address, those without a name yet have a smaller budget of
 * their own (connections/admission.ts), every frame or line costs its connection and address input
 * allowance (budgets/inputGate.ts), and every one is bounded in what it may make the relay buffer,
 * write, log and keep (see policy/policy.ts and docs/reliability.md).
 */
import type { Socket } from 'node:net';
import { MAX_COURSE_MESSAGE_BYTES, DEFAULT_PORT } from '../protocol/limits';
import { errorDetail } from '../protocol/errorText';
import type { ErrorCode } from '../protocol/frames';
import { encodeUtf8 } from '../protocol/utf8';
import { addressGroup } from './connections/addressGroup';
import { Admission } from './connections/admission';
import { ClientConnection, type ConnectionParts } from './connections/clientConnection';
import { CourseSession, type CourseTiming } from './sessions/courseSession';
import { courseText } from './sessions/courseText';
import { FramedSession } from './sessions/framedSession';
import { Rooms } from './classes/rooms';
import { InputGate } from './budgets/inputGate';
import { RelayListeners, type RelayAddresses } from './connections/listeners';
import { RelayLog, type UnregisteredLog } from './log';
import { OutputPool } from './budgets/outputPool';
import { OverLimit } from './connections/overLimit';
import {
  endInDialect,
  letAllGo,
  letIdleGo,
  registrationTimedOut,
  type Connection,
  type Session,
} from './connections/relayConnection';
import { SocketEvents, connectionOf, ignoreErrors } from './connections/socketEvents';
import { resolvePolicy, type RelayPolicy } from './policy/policy';
import { RateLimiter } from './budgets/rateLimiter';
import { RELAY_DEFAULTS } from './policy/defaults';
import { DEFAULT_COURSE_TIMING, type RelayServerOptions } from './relayOptions';
import { keepLesson } from './state/keptLesson';
import type { LessonKeeper } from './state/lessonKeeper';
import type { ClusterLink } from './routing/clusterLink';
import { joinRelayNodes } from './relayNodes';

export { DEFAULT_COURSE_TIMING, type RelayServerOptions };

const SERVER_ID = `classroom-relay/${__VERSION__}`;

/** Deadlines of a few milliseconds (in tests) are swept for no more often than this. */
const SHORTEST_SWEEP_MS = 25;

export class RelayServer {
  private readonly listeners: RelayListeners;
  /** The default class and the classes made on this relay, each its own room. */
  private readonly rooms: Rooms;
  private readonly log: RelayLog;
  /**
   * Refused connections and those not yet registered share one rate-limited log: a flood of them is
   * a few lines a window.
   */
  private readonly serverLog: UnregisteredLog;
  private readonly policy: RelayPolicy;
  private readonly rate: RateLimiter;
  private readonly connections = new Set<Connection>();
  private readonly admission: Admission<Connection>;
  private readonly overLimit: OverLimit;
  /** The input allowance of each address, kept across reconnects (a full one is forgotten). */
  private readonly addressInput: RateLimiter;
  private readonly output: OutputPool;
  /** What every connection shares, and the one set of listeners of all their sockets. */
  private readonly parts: ConnectionParts;
  private readonly socketEvents: SocketEvents<Connection>;
  private readonly course: CourseTiming;
  private readonly maxCourseMessageBytes: number;
  private readonly sweeper: NodeJS.Timeout;
  private lastHubSweep = 0;
  private stopping: Promise<void> | undefined;
  private keeper: LessonKeeper | undefined;
  private key: string | undefined;
  private cluster: ClusterLink | undefined;

  constructor(private readonly options: RelayServerOptions = {}) {
    this.key = options.teacherKey;
    this.log = new RelayLog(options.log ?? (() => {}));
    this.policy = resolvePolicy(options);
    this.serverLog = this.log.forUnregistered(this.policy.logLimit);
    const { presence, ids, resume, registrations, who, relayWide } = this.policy;
    this.rooms = new Rooms({
      ...{ presence, ids, resume, registrations, who, relayWide },
      teacherKey: options.teacherKey,
      rosterMs: this.policy.rosterMs,
      classes: {
        creation: options.classCreation ?? (options.adminKey === undefined ? 'off' : 'key'),
        adminKey: options.adminKey,
        maxClasses: this.policy.classes.max,
        maxPerAddress: this.policy.classes.perAddress,
        idleMs: this.policy.classes.idleMs,
      },
      maxPerClass: this.policy.maxConnectionsPerClass,
    });
    this.rate = new RateLimiter(this.policy.rate);
    const { input, unregistered } = this.policy;
    this.addressInput = new RateLimiter({ perMinute: input.addressPerSecond * 60, burst: input.addressBurst });
    const { maxConnections, maxConnectionsPerAddress } = this.policy;
    this.admission = new Admission(
      {
        maxConnections,
        maxConnectionsPerAddress,
        unregistered: { ...unregistered, graceMs: RELAY_DEFAULTS.waitingGraceMs.value },
      },
      (connection, why) => this.makeRoom(connection, why),
      (connection) => connection.link,
    );
    this.overLimit = new OverLimit(this.serverLog);
    this.output = new OutputPool(this.policy.outputTotal);
    const { policy, rooms, rate, log, serverLog, output: pool } = this;
    const owner = (link: ClientConnection) => connectionOf<Connection>(link.socket)!;
    this.parts = {
      ...{ policy, rooms, rate, log, serverLog, pool },
      errorBudgetSpent: (link) => this.errorBudgetSpent(owner(link)),
      registered: (link) => this.admission.registered(owner(link)),
    };
    this.socketEvents = new SocketEvents<Connection>({
      data: (connection, data) => this.received(connection, data),
      end: (connection) => {
        this.guarded(connection, () => connection.session?.end());
        connection.link.hangUp();
      },
      error: (connection, error) => {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ECONNRESET' && code !== 'EPIPE')
          connection.link.log.write('error', this.subject(connection), error.message);
      },
      close: (connection) => this.closed(connection),
    });
    this.course = { ...DEFAULT_COURSE_TIMING, ...options.course };
    this.maxCourseMessageBytes = options.maxCourseMessageBytes ?? MAX_COURSE_MESSAGE_BYTES;
    const listening = {
      host: options.host ?? '0.0.0.0',
      port: options.port ?? DEFAULT_PORT,
      plain: options.plain ?? true,
      tls: options.tls,
    };
    this.listeners = new RelayListeners(listening, (socket) => this.accept(socket), this.log);
    const { registrationTimeoutMs, keepaliveMs, courseIdleMs } = this.policy;
    const shortest = Math.min(registrationTimeoutMs, keepaliveMs, courseIdleMs, unregistered.silentMs);
    this.sweeper = setInterval(
      () => this.sweep(),
      Math.max(SHORTEST_SWEEP_MS, Math.min(RELAY_DEFAULTS.sweepMs.value, shortest / 4)),
    );
    this.sweeper.unref();
  }

  /** Who is online in the default class. */
  get online(): string[] {
    return this.rooms.main.online;
  }

  /** Open connections, registered or not. */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Bytes waiting to be written to all clients together (budgets/outputPool.ts). */
  get outputWaitingBytes(): number {
    return this.output.usedBytes;
  }

  /** The teacher key in use: the one given, or (with a state folder) the kept or made one once `listen` resolved. */
  get teacherKey(): string | undefined {
    return this.key;
  }

  /**
   * Opens the kept lesson (with a state folder), then the plain and the TLS listener; a failure of
   * either listener (e.g. EADDRINUSE, with its `port`) rejects and leaves none open. A state folder
   * another relay uses rejects with StateLocked (state/stateLock.ts).
   */
  async listen(): Promise<RelayAddresses> {
    const { stateDir } = this.options;
    if (stateDir !== undefined && !this.keeper) {
      const log = (detail: string) => this.log.write('class', 'lesson', detail);
      const { main, registry } = this.rooms;
      const kept = await keepLesson(main.classroom, { ...this.options, stateDir }, this.policy.state, log, registry);
      this.keeper = kept.keeper;
      this.key = kept.teacherKey;
    }
    try {
      const { cluster } = this.options;
      if (cluster) this.cluster ??= await joinRelayNodes(cluster, this.rooms, this.log, this.connections, this.policy);
      if (this.stopping) throw new Error('the relay was closed before it listened');
      return await this.listeners.listen();
    } catch (error) {
      await Promise.all([this.keeper?.close(), this.cluster?.close()]);
      this.keeper = this.cluster = undefined;
      throw error;
    }
  }

  /** Stops accepting, tells clients why, and closes every connection. */
  close(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      this.log.write('stopping', 'server', `${this.connections.size} connection(s) open`);
      clearInterval(this.sweeper);
      // The lesson is taken before the connections go, which forgets the standing of names without a hand or mute.
      const kept = this.keeper?.close() ?? Promise.resolve();
      this.rooms.dispose();
      void Promise.all([this.listeners.close(), kept, this.cluster?.close()]).then(() => {
        this.serverLog.finish('server');
        this.log.write('stopped', 'server');
        resolve();
      });
      const why: [ErrorCode, string] = ['server-shutdown', 'the relay is shutting down'];
      letAllGo(this.connections, why, courseText.shuttingDown(), 'relay stopping');
    });
    return this.stopping;
  }

  private accept(socket: Socket): void {
    if (this.stopping) {
      ignoreErrors(socket);
      socket.destroy();
      return;
    }
    const address = addressGroup(socket.remoteAddress ?? '?');
    const refused = this.admission.admit(address);
    if (refused !== undefined) {
      ignoreErrors(socket);
      this.overLimit.refuse(socket, `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`, refused);
      return;
    }
    const connection: Connection = {
      link: new ClientConnection(socket, address, this.parts),
      session: undefined,
      gate: undefined,
    };
    this.connections.add(connection);
    this.admission.enter(connection);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, RELAY_DEFAULTS.socketKeepaliveMs.value);
    this.socketEvents.attach(socket, connection);
  }

  /** Bytes read: they pass the connection's input allowance (its gate, made when it sends) first. */
  private received(connection: Connection, data: Buffer): void {
    const { link } = connection;
    link.heard();
    if (link.ended) return;
    connection.gate ??= new InputGate(
      link.socket,
      this.policy.input,
      this.addressInput,
      link.address,
      (paid) => this.handle(connection, paid),
      (heldMs) => this.tooFast(connection, heldMs),
      () => !connection.link.ended,
    );
    connection.gate.push(data);
  }

  /** Input the connection's allowance has paid for. */
  private handle(connection: Connection, data: Buffer): void {
    const { remote } = connection.link;
    if (connection.link.ended) return;
    if (!connection.session && data[0] === 0x16 && data[1] === 0x03) {
      // A TLS ClientHello: the client wants the TLS port. A plain line tells its TLS layer that this is not TLS.
      connection.link.log.write(
        'refused',
        remote,
        'a TLS handshake on the plain port; TLS clients connect to the TLS port (tls://HOST:PORT)',
      );
      connection.link.out.write(
        encodeUtf8("This is the relay's plain port; TLS clients connect to its TLS port (tls://HOST:PORT).\n"),
        'reply',
      );
      connection.link.hangUp('TLS on the plain port');
      return;
    }
    this.guarded(connection, () => {
      connection.session ??= this.open(connection, data[0] === 0x7b);
      connection.session.receive(data);
    });
  }

  /** Closes a connection still without a name, the oldest of those that must make room for a newcomer. */
  private makeRoom(connection: Connection, why: string): void {
    this.serverLog.write(
      'refused',
      connection.link.remote,
      `closed without a name to make room for a newcomer: ${why}`,
    );
    connection.gate?.stop();
    endInDialect(
      connection,
      ['too-many-connections', 'too many connections wait for a name; this one waited longest'],
      courseText.serverFull(),
      'made room for a newcomer',
    );
  }

  /** The connection kept sending past its own input allowance for `heldMs`: it is closed. */
  private tooFast(connection: Connection, heldMs: number): void {
    connection.gate?.stop();
    const seconds = Math.round(heldMs / 1000);
    const why = `sent more than ${this.policy.input.perSecond} frames or lines a second for ${seconds} s`;
    connection.link.log.always('closed', this.subject(connection), why);
    endInDialect(connection, ['too-many-errors', `${why}; connection closed`], courseText.tooFast(), 'too fast');
  }

  /** A fault in handling one client's bytes must never reach the others: it closes that connection only. */
  private guarded(connection: Connection, work: () => void): void {
    try {
      work();
    } catch (error) {
      connection.link.log.always(
        'error',
        connection.link.remote,
        `internal error, connection closed: ${errorDetail(error)}`,
      );
      connection.link.destroy('internal error');
    }
  }

  private open(connection: Connection, framed: boolean): Session {
    return framed
      ? new FramedSession(connection.link, SERVER_ID)
      : new CourseSession(connection.link, this.course, this.maxCourseMessageBytes);
  }

  /** One pass over every connection: registration deadline, keepalive, idle course clients. */
  private sweep(): void {
    const now = Date.now();
    if (now - this.lastHubSweep >= RELAY_DEFAULTS.housekeepingMs.value) {
      this.lastHubSweep = now;
      this.rooms.sweep();
      this.serverLog.summarize('server');
    }
    const { registrationTimeoutMs, keepaliveMs, courseIdleMs } = this.policy;
    for (const connection of this.connections) {
      const { link, session } = connection;
      if (link.ended) continue;
      letIdleGo(connection);
      const silent = now - link.lastHeard;
      if (!session?.registered) {
        if (now - link.connectedAt >= registrationTimeoutMs)
          registrationTimedOut(connection, 'no name within the registration time');
        else if (!link.spoke && now - link.connectedAt >= this.policy.unregistered.silentMs)
          registrationTimedOut(connection, 'no byte within the time a silent connection may stay (--silent-seconds)');
      } else if (session instanceof FramedSession) {
        if (silent >= RELAY_DEFAULTS.keepaliveMisses.value * keepaliveMs) {
          link.log.always('closed', session.name, `silent for ${(silent / 1000).toFixed(1)} s`);
          link.destroy('keepalive');
        } else if (silent >= keepaliveMs && now - link.lastPing >= keepaliveMs) {
          link.lastPing = now;
          session.ping();
        }
      } else if (silent >= courseIdleMs) {
        link.log.always('closed', session.name, `course client idle for ${Math.round(silent / 60_000)} min`);
        session.refuse(courseText.idle(Math.round(courseIdleMs / 60_000)), 'idle');
      }
    }
  }

  private errorBudgetSpent(connection: Connection): void {
    const why = `more than ${this.policy.errors.count} errors within ${this.policy.errors.windowMs / 1000} s`;
    // Until the connection registers, its log is the shared one, where even this line counts against the budget.
    connection.link.log.always('closed', this.subject(connection), why);
    endInDialect(
      connection,
      ['too-many-errors', `${why}; connection closed`],
      courseText.tooManyErrors(),
      'too many errors',
    );
  }

  private closed(connection: Connection): void {
    const { link, session } = connection;
    link.dispose();
    connection.gate?.stop();
    this.connections.delete(connection);
    this.admission.leave(connection);
    if (session?.registered) link.log.finish(this.subject(connection));
    if (!session) return;
    session.dispose();
    if (session.registered) {
      const room = session.room;
      room.leave(session, session instanceof FramedSession && session.releasesName);
      this.rooms.left(room);
      link.log.always(
        'leave',
        session.name,
        `${room.size} online${link.reason ? `; closed by the relay: ${link.reason}` : ''}`,
      );
    }
  }

  private subject({ link, session }: Connection): string {
    return session?.registered ? session.name : link.remote;
  }
}
