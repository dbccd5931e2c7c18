/**
 * Everything one end-to-end run starts: the relay, the students' code-servers, their browser
 * pages and the course programs. It stops all of it, and keeps evidence of failed tests.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { freePort, sleep } from '../helpers/net';
import { CLI, ROOT } from '../helpers/processes';
import { CodeServer, type StudentOptions } from './codeServer';
import { ensurePrerequisites, type Prerequisites } from './prereqs';
import { startGroup, type Started } from './processGroup';
import { Workbench } from './workbench';

export class World {
  readonly students = new Map<string, Workbench>();
  private readonly servers: CodeServer[] = [];
  private readonly others: Array<{ name: string; process: Started }> = [];
  private relay: Started | undefined;
  relayPort = 0;

  private constructor(readonly prerequisites: Prerequisites, readonly browser: Browser, readonly vsix: string) {}

  static async create(): Promise<World> {
    const prerequisites = ensurePrerequisites();
    const vsix = join(ROOT, 'dist', 'classroom-relay.vsix');
    if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run "npm run package" first`);
    return new World(prerequisites, await launchBrowser(), vsix);
  }

  get relayAddress(): string {
    return `127.0.0.1:${this.relayPort}`;
  }

  async startRelay(): Promise<void> {
    this.relayPort ||= await freePort();
    this.relay = startGroup(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', String(this.relayPort)]);
    const deadline = Date.now() + 10_000;
    while (!this.relay.output().includes('is listening')) {
      if (Date.now() > deadline) throw new Error(`the relay did not start: ${this.relay.output()}`);
      await sleep(50);
    }
  }

  /** Kills the relay as a crash would: no goodbye to anyone. */
  async killRelay(): Promise<string> {
    const relay = this.relay;
    this.relay = undefined;
    relay?.child.kill('SIGKILL');
    await relay?.stop();
    return relay?.output() ?? '';
  }

  relayLog(): string {
    return this.relay?.output() ?? '';
  }

  async student(name: string, options: StudentOptions = {}): Promise<Workbench> {
    const server = await CodeServer.start(name, this.vsix, this.prerequisites, options);
    this.servers.push(server);
    const workbench = await Workbench.open(this.browser, server);
    this.students.set(name, workbench);
    return workbench;
  }

  /** Another program of the run (the course's Python programs, the CLI), stopped with the rest. */
  track(name: string, process: Started): Started {
    this.others.push({ name, process });
    return process;
  }

  /** Saves a screenshot and the extension host log of every student, and the relay's log. */
  async evidence(test: string): Promise<string> {
    const folder = join(ROOT, 'test-results', 'e2e', test.replace(/[^\w-]+/g, '-').slice(0, 80));
    mkdirSync(folder, { recursive: true });
    for (const [name, workbench] of this.students) {
      await workbench.screenshot(join(folder, `${name}.png`)).catch(() => {});
      writeFileSync(join(folder, `${name}-exthost.log`), workbench.server.extensionHostLog());
    }
    writeFileSync(join(folder, 'relay.log'), this.relayLog());
    for (const { name, process } of this.others) writeFileSync(join(folder, `${name}.log`), process.output());
    return folder;
  }

  async dispose(): Promise<void> {
    for (const workbench of this.students.values()) await workbench.close();
    await this.browser.close().catch(() => {});
    await Promise.all([...this.servers.map((server) => server.stop()), ...this.others.map(({ process }) => process.stop()), this.killRelay()]);
  }
}
