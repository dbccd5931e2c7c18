/** The machine and the versions a run was measured with, for the report. */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { networkNote } from './netns';
import { pinning } from './spawn';

export interface Machine {
  cpu: string;
  cores: number;
  memory: string;
  kernel: string;
  node: string;
  python: string;
  ngircd: string;
  pinning: string;
  /** Where the connections run: the suite's own network namespace or the machine's. */
  network?: string;
  /** Load averages (1, 5, 15 minutes): other work on the machine shows here. */
  load?: string;
}

function firstLine(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n')[0] || 'not found';
}

export function describeMachine(ngircd: string): Machine {
  const processors = cpus();
  return {
    cpu: processors[0]?.model.trim() ?? 'unknown',
    cores: processors.length,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    kernel: `Linux ${release()}`,
    node: process.version,
    python: firstLine('python3', ['--version']),
    ngircd,
    pinning: pinning(),
    network: networkNote(),
    load: loadavg()
      .map((each) => each.toFixed(2))
      .join(', '),
  };
}

/** Clock ticks per second of /proc's CPU times. */
export function ticksPerSecond(): number {
  const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout);
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
}
