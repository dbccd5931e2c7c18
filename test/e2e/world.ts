/**
 * The end-to-end run in two parts. The lab is what every scenario shares: the prerequisites,
 * one Chromium and the freshly built extension, installed once. A world is one scenario's own
 * classroom: its relay, its students (each a fresh code-server with a throwaway profile), their
 * browser pages and the course programs. A world stops all it started, and keeps evidence of a
 * failed scenario first.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser/browser';
import { freePort, sleep } from '../helpers/relay/peers';
import { CLI } from '../helpers/process/processes';
import { ROOT } from '../helpers/paths';
import { CodeServer, installExtension, type StudentOptions } from './codeServer';
import { ensurePrerequisites, type Prerequisites } from './prereqs';
import { startGroup, type Started } from './processGroup';
import { Workbench } from './workbench';

export class Lab {
  private readonly worlds = new Set<World>();

  private constructor(
    readonly prerequisites: Prerequisites,
    readonly browser: Browser,
    readonly extensions: string,
  ) {}

  static async open(): Promise<Lab> {
    const prerequisites = ensurePrerequisites();
    const vsix = join(ROOT, 'dist', 'classroom-relay.vsix');
    if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run "npm run package" first`);
    const extensions = installExtension(vsix, prerequisites);
    try {
      return new Lab(prerequisites, await launchBrowser(), extensions);
    } catch (error) {
      rmSync(extensions, { recursive: true, force: true });
      throw error;
    }
  }

  world(): World {
    const world = new World(this, () => this.worlds.delete(world));
    this.worlds.add(world);
    return world;
  }

  async close(): Promise<void> {
    await Promise.all([...this.worlds].map((world) => world.dispose()));
    await this.browser.close().catch(() => {});
    rmSync(this.extensions, { recursive: true, force: true });
  }
}

export class World {
  readonly students = new Map<string, Workbench>();
  private readonly servers: CodeServer[] = [];
  private readonly others: Array<{ name: string; process: Started }> = [];
  private relay: Started | undefined;
  /** Logs of the relays this world killed, for the evidence. */
  private readonly pastRelayLogs: string[] = [];
  relayPort = 0;
  /** The relay's teacher key: whoever connects with it is a teacher. */
  teacherKey = `e2e-${randomBytes(8).toString('hex')}`;
  /** Where this world's relay keeps the lesson, so that a restart finds it. */
  private readonly relayState = mkdtempSync(join(tmpdir(), 'relay-e2e-state-'));

  constructor(
    private readonly lab: Lab,
    private readonly forget: () => void,
  ) {}

  get relayAddress(): string {
    return `127.0.0.1:${this.relayPort}`;
  }

  /**
   * Starts this world's relay; after killRelay or stopRelay, again on the same port with the lesson it kept. The
   * teacher key is the world's (handed over as a setting would be), or with `keyFrom: 'relay'` the one the relay made
   * and keeps itself, read from its startup lines. `flags`: more of serve's (e.g. `--class-creation open`).
   */
  async startRelay(options: { keyFrom?: 'world' | 'relay'; flags?: string[] } = {}): Promise<void> {
    this.relayPort ||= await freePort();
    const args = [CLI, 'serve', '--host', '127.0.0.1', '--port', String(this.relayPort), '--state', this.relayState];
    args.push(...(options.flags ?? []));
    const env = options.keyFrom === 'relay' ? { ...process.env, RELAY_TEACHER_KEY: '' } : this.teacherEnv();
    this.relay = startGroup(process.execPath, args, { env });
    const deadline = Date.now() + 10_000;
    while (!/Stop with Ctrl\+C/.test(this.relay.output())) {
      if (Date.now() > deadline) throw new Error(`the relay did not start: ${this.relay.output()}`);
      await sleep(50);
    }
    if (options.keyFrom === 'relay') {
      const printed = /Teacher key, for teachers only:.*\n\s+(\S+)/.exec(this.relay.output())?.[1];
      if (!printed) throw new Error(`the relay printed no teacher key: ${this.relay.output()}`);
      this.teacherKey = printed;
    }
  }

  /** Stops the relay as Ctrl+C does (SIGTERM): it says goodbye and keeps the lesson. */
  async stopRelay(): Promise<void> {
    const relay = this.relay;
    this.relay = undefined;
    if (!relay) return;
    await relay.stop();
    this.pastRelayLogs.push(relay.output());
  }

  /** The environment that hands a program the teacher key (kept out of the process list). */
  teacherEnv(): NodeJS.ProcessEnv {
    return { ...process.env, RELAY_TEACHER_KEY: this.teacherKey };
  }

  /** Kills the relay as a crash would: no goodbye to anyone. */
  async killRelay(): Promise<void> {
    const relay = this.relay;
    this.relay = undefined;
    if (!relay) return;
    relay.child.kill('SIGKILL');
    await relay.stop();
    this.pastRelayLogs.push(relay.output());
  }

  /** The output of every relay this world started, oldest first. */
  relayLog(): string {
    return [...this.pastRelayLogs, ...(this.relay ? [this.relay.output()] : [])].join(
      '\n==> the relay, started again\n',
    );
  }

  /** Starts a student: a fresh code-server with its own profile, open in a page of the lab's browser. */
  async student(name: string, options: StudentOptions = {}): Promise<Workbench> {
    const server = await CodeServer.start(name, this.lab.extensions, this.lab.prerequisites, options);
    this.servers.push(server);
    const workbench = await Workbench.open(this.lab.browser, server, options.viewport);
    this.students.set(name, workbench);
    return workbench;
  }

  /**
   * Starts the relay (unless running) and the students side by side, each connected through "Relay: Connect" under
   * their name.
   */
  async connectedStudents<Name extends string>(
    students: Record<Name, StudentOptions>,
  ): Promise<Record<Name, Workbench>> {
    if (!this.relay) await this.startRelay();
    const started = await Promise.all(
      Object.entries<StudentOptions>(students).map(async ([name, options]) => {
        const workbench = await this.student(name, options);
        await workbench.connect(this.relayAddress, name);
        return [name, workbench] as const;
      }),
    );
    return Object.fromEntries(started) as Record<Name, Workbench>;
  }

  /** Another program of the scenario (the course's Python programs, the CLI), stopped with the rest. */
  track(name: string, process: Started): Started {
    this.others.push({ name, process });
    return process;
  }

  /**
   * Saves a screenshot, the extension host log and the code-server log of every student, and the logs of the relay and
   * the other programs.
   */
  async evidence(scenario: string): Promise<string> {
    const folder = join(ROOT, 'test-results', 'e2e', scenario.replace(/[^\w-]+/g, '-').slice(0, 80));
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    for (const [name, workbench] of this.students)
      await workbench.screenshot(join(folder, `${name}.png`)).catch(() => {});
    for (const server of this.servers) {
      writeFileSync(join(folder, `${server.name}-exthost.log`), server.extensionHostLog());
      writeFileSync(join(folder, `${server.name}-code-server.log`), server.serverLog());
    }
    const relayLog = this.relayLog();
    if (relayLog) writeFileSync(join(folder, 'relay.log'), relayLog);
    for (const { name, process } of this.others) writeFileSync(join(folder, `${name}.log`), process.output());
    return folder;
  }

  /** Stops everything this world started. Safe to call twice. */
  async dispose(): Promise<void> {
    this.forget();
    const students = [...this.students.values()];
    const servers = this.servers.splice(0);
    const others = this.others.splice(0);
    this.students.clear();
    await Promise.all(students.map((workbench) => workbench.close()));
    await Promise.all([
      ...servers.map((server) => server.stop()),
      ...others.map(({ process }) => process.stop()),
      this.killRelay(),
    ]);
    rmSync(this.relayState, { recursive: true, force: true });
  }
}
