/**
 * A classroom hosted from VS Code: our relay runs inside the extension host, with a teacher key
 * kept in secret storage, and this VS Code connects to it as the teacher. The class is shown the
 * addresses to connect to. A port in use is explained and a free one offered; stopping (or VS Code
 * closing) tells the connected clients that the relay stopped.
 */
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import type { ServerAddress } from '../../protocol/address';
import { errorDetail } from '../../protocol/errorText';
import { DEFAULT_PORT, DEFAULT_TLS_PORT } from '../../protocol/limits';
import { nameKey } from '../../protocol/nameSkeleton';
import { Emitter } from '../../client/events';
import type { RelayServer, RelayServerOptions } from '../../server';
import type { ConnectionLifecycle } from '../connection/connectionLifecycle';
import { LAST_NAME } from '../connection/connectTarget';
import { reportTo } from '../errorText';
import type { Disposable, Editors, Log, Notices, Prompts, Storage } from '../ports';
import type { RelaySettings } from '../settings';
import type { TeacherKeys } from '../classroom/teacherKeys';
import type { Translate } from '../translate';
import { leaveClassQuestion } from './leaveClass';
import { offerAddresses } from '../addressOffer';

/** The port the last hosted classroom listened on, offered first next time. */
export const LAST_HOST_PORT = 'relay.lastHostPort';
/** Addresses offered with a Copy button; more are listed in the text only. */
export const COPY_BUTTONS = 3;
/** Ports tried after one in use before giving up. */
const PORTS_TRIED = 20;

export type NetworkInterfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

/**
 * The IPv4 addresses other machines of the classroom reach this one at: no loopback, no
 * link-local (169.254.x.x, what a machine gives itself without a network). Private ranges first.
 */
export function lanAddresses(interfaces: NetworkInterfaces): string[] {
  const found = new Set<string>();
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      const ipv4 = info.family === 'IPv4' || (info.family as unknown) === 4;
      if (ipv4 && !info.internal && !info.address.startsWith('169.254.')) found.add(info.address);
    }
  }
  const rank = (address: string) =>
    address.startsWith('192.168.')
      ? 0
      : address.startsWith('10.')
        ? 1
        : /^172\.(1[6-9]|2\d|3[01])\./.test(address)
          ? 2
          : 3;
  return [...found].sort((a, b) => rank(a) - rank(b));
}

/** Whether `port` can be listened on at `host` now. */
export function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * The ports offered from `from` on, among a few: never the relay's TLS port (12346), which a
 * relay started with `serve --tls` beside the course port takes, and which its clients reach
 * with tls://.
 */
export function hostPortCandidates(from: number, tries = PORTS_TRIED): number[] {
  const ports: number[] = [];
  for (let port = from; ports.length < tries && port <= 65535; port++) if (port !== DEFAULT_TLS_PORT) ports.push(port);
  return ports;
}

/** The first free port from `from` on, among a few (see hostPortCandidates). */
export async function findFreePort(from: number, host: string, tries = PORTS_TRIED): Promise<number | undefined> {
  for (const port of hostPortCandidates(from, tries)) if (await portFree(port, host)) return port;
  return undefined;
}

/**
 * The port tried first: relay.hostPort, else the one used last time, else the course's port. A
 * last port that was the TLS port (offered by earlier versions when 12345 was taken) is not reused.
 */
export function firstHostPort(setting: number | undefined, last: number | undefined): number {
  return setting ?? (last !== undefined && last !== DEFAULT_TLS_PORT ? last : DEFAULT_PORT);
}

export const hostedServer = (port: number): ServerAddress => ({ transport: 'tcp', host: '127.0.0.1', port });

export interface Hosted {
  port: number;
  /** host:port for the class, LAN addresses first; empty when this computer has no network. */
  addresses: string[];
}

export interface HostingServices {
  t: Translate;
  log: Log;
  notices: Notices;
  storage: Storage;
  prompts: Pick<Prompts, 'name'>;
  editors: Pick<Editors, 'copy'>;
  settings(): RelaySettings;
  teacherKeys: Pick<TeacherKeys, 'hostedKey' | 'store'>;
  lifecycle: Pick<ConnectionLifecycle, 'connect' | 'disconnect' | 'target' | 'state'>;
  /** os.networkInterfaces. */
  interfaces(): NetworkInterfaces;
  /** Where the relay listens; every interface by default, so that the class reaches it. */
  listenHost?: string;
  /** More for the hosted relay (its limits, the roster's pace). */
  relayOptions?: Partial<RelayServerOptions>;
}

export class ClassroomHosting implements Disposable {
  private readonly changes: Emitter<void>;
  private relay: RelayServer | undefined;
  private port = 0;
  private hostName = '';
  private starting = false;

  constructor(private readonly services: HostingServices) {
    this.changes = new Emitter({ report: reportTo(services.log) });
  }

  /** Told when hosting starts or stops. */
  onChange(listener: () => void): Disposable {
    return this.changes.on(listener);
  }

  get hosted(): Hosted | undefined {
    if (!this.relay) return undefined;
    return {
      port: this.port,
      addresses: lanAddresses(this.services.interfaces()).map((address) => `${address}:${this.port}`),
    };
  }

  /**
   * "Relay: Host Classroom": starts the relay and connects as its teacher, after asking when that
   * takes this VS Code away from a class it is connected to; when hosting already, shows the
   * addresses again.
   */
  async host(): Promise<void> {
    if (this.relay) {
      await this.showAddresses();
      return;
    }
    if (this.starting) return;
    this.starting = true;
    try {
      if (!(await this.leaveClass())) return;
      await this.start();
    } finally {
      this.starting = false;
    }
  }

  /** "Relay: Stop Hosting": asks first when students are connected. */
  async stop(): Promise<void> {
    const { t, notices, log } = this.services;
    const relay = this.relay;
    if (!relay) {
      void notices.info(t('This VS Code is not hosting a classroom.'));
      return;
    }
    const students = relay.online.filter((name) => nameKey(name) !== nameKey(this.hostName)).length;
    if (students > 0) {
      const stop = t('Stop Hosting');
      const choice = await notices.warning(
        t(
          'Stop the classroom relay? The connected students ({0}) are disconnected and told that it stopped.',
          students,
        ),
        stop,
      );
      if (choice !== stop || this.relay !== relay) return;
    }
    const port = this.port;
    await this.close();
    log.info(t('The classroom relay on port {0} stopped.', port));
    notices.flash(t('The classroom relay on port {0} stopped.', port), 4000);
  }

  /** Stops the relay without asking (VS Code is closing): our own connection leaves first, the rest are told why. */
  async close(): Promise<void> {
    const relay = this.relay;
    if (!relay) return;
    this.relay = undefined;
    if (this.ownConnection()) this.services.lifecycle.disconnect();
    this.changes.fire();
    await relay.close();
  }

  dispose(): void {
    void this.close();
    this.changes.clear();
  }

  private async start(): Promise<void> {
    const { t, log, notices, storage, prompts, teacherKeys } = this.services;
    const settings = () => this.services.settings();
    const name =
      settings().name ?? storage.get<string>(LAST_NAME) ?? (await prompts.name(undefined, t('Relay: Host Classroom')));
    if (!name) return;
    const key = await teacherKeys.hostedKey();
    const listenHost = this.services.listenHost ?? '0.0.0.0';
    let port = firstHostPort(settings().hostPort, storage.get<number>(LAST_HOST_PORT));
    for (;;) {
      const outcome = await this.listen(port, listenHost, key);
      if (outcome === 'listening') break;
      if (outcome === 'failed') return;
      const free = await findFreePort(port + 1, listenHost);
      const inUse = t(
        'Port {0} is already in use on this computer, perhaps by another relay or a course server, so the classroom relay cannot listen there.',
        port,
      );
      if (free === undefined) {
        void notices.error(`${inUse} ${t('No free port was found near it; set another one in relay.hostPort.')}`);
        return;
      }
      const use = t('Use Port {0}', free);
      const choice = await notices.warning(
        `${inUse} ${t('Port {0} is free: the class then connects to that port.', free)}`,
        use,
      );
      if (choice !== use) return;
      port = free;
    }
    this.port = port;
    this.hostName = name;
    await storage.update(LAST_HOST_PORT, port);
    log.info(t('Hosting a classroom relay on port {0}.', port));
    this.changes.fire();
    await teacherKeys.store(hostedServer(port), key);
    await this.services.lifecycle.connect({ target: { server: hostedServer(port), name }, again: true });
    void this.showAddresses();
  }

  private async listen(port: number, host: string, teacherKey: string): Promise<'listening' | 'in-use' | 'failed'> {
    const { t, log, notices } = this.services;
    const kept = this.services.relayOptions?.stateDir;
    // The relay's code comes with the first classroom hosted: a window that never hosts never loads it.
    const { RelayServer } = await import('./hostedRelay');
    const relay = new RelayServer({
      ...this.services.relayOptions,
      // A folder per port, as `serve` keeps it: two windows hosting on two ports keep two lessons.
      stateDir: kept === undefined ? undefined : join(kept, `port-${port}`),
      host,
      port,
      teacherKey,
      // The relay never writes the key into its log.
      log: (line) => log.info(t('Hosted relay: {0}', line)),
    });
    try {
      await relay.listen();
      this.relay = relay;
      return 'listening';
    } catch (error) {
      await relay.close();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') return 'in-use';
      // The system's own words are English: the person reads its error code, the log keeps the words.
      const message =
        code === 'EACCES'
          ? t(
              'This computer does not allow VS Code to listen on port {0}. Choose a port above 1023 in relay.hostPort.',
              port,
            )
          : t('The classroom relay could not listen on port {0} (system error {1}).', port, code ?? '?');
      log.error(`${message} ${errorDetail(error)}`);
      void notices.error(message);
      return 'failed';
    }
  }

  /** The addresses for the class, each with a Copy button. */
  private async showAddresses(): Promise<void> {
    const { t, log } = this.services;
    const hosted = this.hosted;
    if (!hosted) return;
    const { port, addresses } = hosted;
    const message =
      addresses.length === 0
        ? t(
            'Your classroom relay runs on port {0}, but this computer has no network address the class can reach; only this computer can connect ({1}). Connect it to the classroom network.',
            port,
            `127.0.0.1:${port}`,
          )
        : t('Your classroom relay runs on port {0}. Students connect to: {1}', port, addresses.join(', '));
    log.info(message);
    await offerAddresses(this.services, message, addresses.slice(0, COPY_BUTTONS));
  }

  /** Whether to go on: true when not connected elsewhere, or when the teacher chose to leave. */
  private async leaveClass(): Promise<boolean> {
    const { t, notices, lifecycle } = this.services;
    const question = leaveClassQuestion(lifecycle.state, lifecycle.target?.server, t);
    if (!question) return true;
    return (await notices.confirm(question.message, question.detail, question.host)) === question.host;
  }

  private ownConnection(): boolean {
    const target = this.services.lifecycle.target;
    return (
      target !== undefined &&
      target.server.transport === 'tcp' &&
      target.server.host === '127.0.0.1' &&
      target.server.port === this.port &&
      target.server.classCode === undefined &&
      this.services.lifecycle.state.kind !== 'idle'
    );
  }
}
