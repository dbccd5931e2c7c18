/**
 * Workload (c), one teacher's broadcast to many: the recipients register (and join the channel,
 * on IRC), then the teacher sends one message to all, `repeats` times, each once the last had
 * reached everyone. Per repeat: the time from the teacher's write until the last recipient read it.
 */
import { encodeBody } from './body';
import { DeliveryChecker } from './checker';
import { Fleet } from './fleet';
import type { BroadcastJob, BroadcastResult } from './jobs';
import { countersSince, readNetCounters } from './netCounters';
import { endWindow, nowUs, sleep, startWindow, until } from './window';

const TIMEOUT_MS = 5000;
/** Long enough for the presence news of the last joins to have gone out (our relay batches them). */
const SETTLE_MS = 1500;
const GAP_MS = 100;

export async function broadcast(job: BroadcastJob): Promise<BroadcastResult> {
  const teacher = job.recipients;
  const checker = new DeliveryChecker(job.recipients + 1);
  const arrived: number[] = [];
  const last: number[] = [];
  const fleet = new Fleet(job, {
    message(recipient, from, text, readUs) {
      const receipt = checker.receive(recipient, from, text);
      if (!receipt.ok) return;
      const { seq } = receipt.body;
      arrived[seq] = (arrived[seq] ?? 0) + 1;
      last[seq] = readUs;
    },
    garbled: () => checker.garbled(),
  });
  const send = fleet.codec.broadcast;
  if (!send) throw new Error(`${job.dialect} has no broadcast`);
  const netBefore = readNetCounters();
  const setupUs = await fleet.register({
    count: job.recipients + 1,
    window: job.window,
    teacher,
    channel: true,
    timeoutMs: 60_000,
  });
  const setupNet = countersSince(netBefore);
  if (fleet.registered < job.recipients + 1) throw new Error(`only ${fleet.registered} registered`);
  await sleep(SETTLE_MS);

  const recipients = Array.from({ length: job.recipients }, (_, index) => index);
  const lastUs: number[] = [];
  const start = startWindow(job);
  for (let repeat = 0; repeat < job.repeats; repeat++) {
    const seq = checker.sendBroadcast(teacher, recipients);
    const sentUs = nowUs();
    fleet.write(teacher, send(teacher, encodeBody({ from: teacher, to: -1, seq, sentUs }, job.size), seq));
    await until(() => arrived[seq] === job.recipients, TIMEOUT_MS);
    if (arrived[seq] === job.recipients) lastUs.push(last[seq]! - sentUs);
    await sleep(GAP_MS);
  }
  const cpu = endWindow(job, start);
  fleet.close();
  return {
    workload: 'broadcast',
    lastUs,
    setupUs,
    setupNet,
    cpu,
    check: checker.result(),
    dropped: fleet.dropped,
    refused: fleet.refused,
  };
}
