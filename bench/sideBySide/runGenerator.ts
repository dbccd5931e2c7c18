/** Runs one job in a generator process on the generator's core and returns its result. */
import { join } from 'node:path';
import type { Job, JobResult } from './jobs';
import { GENERATOR_CORE, spawnPinned, stop } from './spawn';

export async function runGenerator(bundles: string, job: Job): Promise<JobResult> {
  const child = spawnPinned(
    GENERATOR_CORE,
    [process.execPath, join(bundles, 'generator.proc.js'), JSON.stringify(job)],
    ['pipe', 'pipe', 'pipe'],
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (data: string) => (stdout += data));
  child.stderr?.setEncoding('utf8').on('data', (data: string) => {
    if (process.env.BENCH_DEBUG === '1') process.stderr.write(data);
    stderr = (stderr + data).slice(-4000);
  });
  // The generator stops itself at its deadline; this is the backstop should it hang anyway.
  const backstop = setTimeout(() => void stop(child, 1000), job.deadlineMs + 5000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(backstop);
  if (code !== 0) throw new Error(stderr.trim() || `generator exited with ${code}`);
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as JobResult;
}
