/**
 * The relay under fuzz as a child process (`node dist/cli.js serve`), so that its memory can
 * be read from /proc and a crash cannot take the test process with it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let started = 0;

export interface RssSample {
  atMs: number;
  bytes: number;
}

export class RelayProcess {
  /** Lines the relay logged, counted by their event word ("error", "join", ...). */
  readonly logEvents = new Map<string, number>();
  logLines = 0;
  logBytes = 0;
  /** The last lines of the log, for a failure report. */
  readonly recentLog: string[] = [];
  readonly rss: RssSample[] = [];
  exit: { code: number | null; signal: NodeJS.Signals | null; atMs: number } | undefined;
  private partialLine = '';
  private sampler: NodeJS.Timeout | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly startedAt: number,
  ) {
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        this.exit = { code, signal, atMs: this.elapsed() };
        resolve();
      }),
    );
    child.stdout.setEncoding('utf8').on('data', (data: string) => this.logged(data));
    child.stderr.setEncoding('utf8').on('data', (data: string) => this.logged(data));
    child.stdin.on('error', () => {});
  }

  /**
   * Starts `node CLI serve --host 127.0.0.1 --port PORT ...extraArgs` and waits until it listens. `env`: the
   * relay's environment (a teacher key stays out of the process list there).
   */
  static async start(
    cli: string,
    port: number,
    extraArgs: string[],
    sampleEveryMs = 200,
    env: NodeJS.ProcessEnv = process.env,
  ): Promise<RelayProcess> {
    if (!existsSync(cli)) throw new Error(`${cli} does not exist; build it with: node esbuild.mjs`);
    const child = spawn(process.execPath, [cli, 'serve', '--host', '127.0.0.1', '--port', String(port), ...extraArgs], {
      stdio: 'pipe',
      // Its own state folder: the relay under fuzz keeps its lesson there, not in the home of whoever runs it.
      env: { ...env, XDG_STATE_HOME: join(tmpdir(), `relay-fuzz-state-${process.pid}-${++started}`) },
    });
    const relay = new RelayProcess(child, Date.now());
    await relay.listening(10_000);
    relay.sampleRss();
    relay.sampler = setInterval(() => relay.sampleRss(), sampleEveryMs);
    return relay;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  elapsed(): number {
    return Date.now() - this.startedAt;
  }

  /** Resident memory of the relay now (VmRSS), or undefined when it is gone. */
  readRss(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
      return kib === undefined ? undefined : Number(kib) * 1024;
    } catch {
      return undefined;
    }
  }

  get maxRss(): RssSample | undefined {
    return this.rss.reduce<RssSample | undefined>(
      (max, sample) => (max === undefined || sample.bytes > max.bytes ? sample : max),
      undefined,
    );
  }

  /** Ends the relay: SIGTERM, and SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = undefined;
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private sampleRss(): void {
    const bytes = this.readRss();
    if (bytes !== undefined) this.rss.push({ atMs: this.elapsed(), bytes });
  }

  private listening(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.recentLog.some((line) => /listening/i.test(line))) done(undefined);
        else if (!this.alive) done(new Error(`the relay exited before listening: ${this.recentLog.join('\n')}`));
      };
      const done = (error: Error | undefined) => {
        clearTimeout(timer);
        clearInterval(poll);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(
        () => done(new Error(`the relay did not listen within ${timeoutMs} ms: ${this.recentLog.join('\n')}`)),
        timeoutMs,
      );
      const poll = setInterval(check, 20);
    });
  }

  private logged(data: string): void {
    this.logBytes += data.length;
    const lines = (this.partialLine + data).split('\n');
    this.partialLine = lines.pop()!;
    for (const line of lines) {
      this.logLines++;
      // "2026-11-25 14:22:15Z error     Alice — ...": the event is the third word.
      const event = line.split(/\s+/)[2] ?? '?';
      this.logEvents.set(event, (this.logEvents.get(event) ?? 0) + 1);
      this.recentLog.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
      if (this.recentLog.length > 40) this.recentLog.shift();
    }
  }
}
