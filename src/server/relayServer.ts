/**
 * The relay: one process, event-driven on node:net. Each connection is sniffed on its first
 * byte: `{` opens the framed protocol, anything else is a course-dialect name.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { MAX_COURSE_MESSAGE_BYTES, DEFAULT_PORT } from '../protocol/limits';
import { CourseSession, type CourseTiming } from './courseSession';
import { courseText } from './courseText';
import { FramedSession } from './framedSession';
import { Hub } from './hub';
import { RelayLog, type LogSink } from './log';

export interface RelayServerOptions {
  host?: string;
  port?: number;
  log?: LogSink;
  /** How long a connection may stay without a registered name. */
  registrationTimeoutMs?: number;
  /** Framed clients are pinged when idle this long, and dropped after three such periods of silence. */
  keepaliveMs?: number;
  course?: Partial<CourseTiming>;
  maxCourseMessageBytes?: number;
}

export const DEFAULT_COURSE_TIMING: CourseTiming = { pauseMs: 40, writeGapMs: 50, characterWaitMs: 1000 };

const SERVER_ID = 'classroom-relay/0.1.0';

type Session = CourseSession | FramedSession;

interface Connection {
  socket: Socket;
  remote: string;
  session: Session | undefined;
  lastHeard: number;
  timers: NodeJS.Timeout[];
}

export class RelayServer {
  private readonly server: Server;
  private readonly hub = new Hub();
  private readonly log: RelayLog;
  private readonly connections = new Set<Connection>();
  private readonly options: Required<Omit<RelayServerOptions, 'log' | 'course'>> & { course: CourseTiming };
  private stopping: Promise<void> | undefined;

  constructor(options: RelayServerOptions = {}) {
    this.log = new RelayLog(options.log ?? (() => {}));
    this.options = {
      host: options.host ?? '0.0.0.0',
      port: options.port ?? DEFAULT_PORT,
      registrationTimeoutMs: options.registrationTimeoutMs ?? 120_000,
      keepaliveMs: options.keepaliveMs ?? 15_000,
      maxCourseMessageBytes: options.maxCourseMessageBytes ?? MAX_COURSE_MESSAGE_BYTES,
      course: { ...DEFAULT_COURSE_TIMING, ...options.course },
    };
    this.server = createServer((socket) => this.accept(socket));
    this.server.on('error', (error) => this.log.write('error', 'server', error.message));
  }

  get online(): string[] {
    return this.hub.online;
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.server.once('error', onError);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', onError);
        const address = this.server.address() as AddressInfo;
        this.log.write('listening', `${address.address}:${address.port}`);
        resolve(address);
      });
    });
  }

  /** Stops accepting, tells framed clients why, and closes every connection. */
  close(): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      this.log.write('stopping', 'server', `${this.connections.size} connection(s) open`);
      this.server.close(() => {
        this.log.write('stopped', 'server');
        resolve();
      });
      for (const connection of this.connections) {
        if (connection.session instanceof FramedSession) connection.session.refuse('server-shutdown', 'the relay is shutting down');
        else connection.socket.end();
        const force = setTimeout(() => connection.socket.destroy(), 500);
        connection.timers.push(force);
      }
    });
    return this.stopping;
  }

  private accept(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    const connection: Connection = { socket, remote, session: undefined, lastHeard: Date.now(), timers: [] };
    this.connections.add(connection);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);

    const registration = setTimeout(() => {
      if (connection.session?.registered) return;
      this.log.write('refused', remote, 'no name within the registration time');
      if (connection.session instanceof FramedSession) connection.session.refuse('registration-timeout', 'no hello within the registration time');
      else {
        socket.write(courseText.registrationTimeout());
        socket.end();
      }
    }, this.options.registrationTimeoutMs);
    connection.timers.push(registration);

    socket.on('data', (data) => {
      connection.lastHeard = Date.now();
      try {
        connection.session ??= this.open(connection, data[0] === 0x7b);
        connection.session.receive(data);
      } catch (error) {
        // A fault in handling one client's bytes must never reach the others.
        this.log.write('error', remote, `internal error, connection closed: ${(error as Error).stack ?? error}`);
        socket.destroy();
      }
    });
    socket.on('end', () => {
      connection.session?.end();
      socket.end();
    });
    socket.on('error', (error) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ECONNRESET' && code !== 'EPIPE') this.log.write('error', connection.session?.registered ? connection.session.name : remote, error.message);
    });
    socket.on('close', () => this.closed(connection));
  }

  private open(connection: Connection, framed: boolean): Session {
    if (!framed) {
      return new CourseSession(connection.socket, this.hub, this.log, this.options.course, this.options.maxCourseMessageBytes, connection.remote);
    }
    const session = new FramedSession(connection.socket, this.hub, this.log, SERVER_ID, connection.remote);
    const period = this.options.keepaliveMs;
    const keepalive = setInterval(() => {
      const silent = Date.now() - connection.lastHeard;
      if (silent >= 3 * period) {
        this.log.write('error', session.registered ? session.name : connection.remote, `silent for ${Math.round(silent / 1000)} s, connection closed`);
        connection.socket.destroy();
      } else if (silent >= period) {
        session.ping();
      }
    }, period);
    connection.timers.push(keepalive);
    return session;
  }

  private closed(connection: Connection): void {
    for (const timer of connection.timers) clearTimeout(timer);
    connection.timers.length = 0;
    this.connections.delete(connection);
    const session = connection.session;
    if (!session) return;
    session.dispose();
    if (session.registered) {
      this.hub.leave(session);
      this.log.write('leave', session.name, `${this.hub.size} online`);
    }
  }
}
