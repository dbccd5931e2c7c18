/**
 * A load generator process: runs one job (a JSON argument) against one server and prints its
 * result as one JSON line. It ends itself at the job's deadline, and when its parent goes away
 * (its standard input closes), so no generator outlives the suite.
 */
import { broadcast } from './broadcast';
import { closedLoop } from './closedLoop';
import { idle } from './idle';
import type { Job, JobResult } from './jobs';
import { openLoop } from './openLoop';

function run(job: Job): Promise<JobResult> {
  switch (job.workload) {
    case 'closed':
      return closedLoop(job);
    case 'open':
      return openLoop(job);
    case 'broadcast':
      return broadcast(job);
    case 'idle':
      return idle(job);
  }
}

const job = JSON.parse(process.argv[2] ?? '') as Job;
setTimeout(() => {
  console.error(`generator: past its deadline of ${job.deadlineMs} ms, stopping`);
  process.exit(3);
}, job.deadlineMs);
process.stdin.on('end', () => process.exit(4));
process.stdin.on('close', () => process.exit(4));
process.stdin.resume();

run(job).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
  },
  (error: unknown) => {
    console.error(`generator: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
