/**
 * Workload (a), the closed loop: every client keeps `inFlight` messages of `size` bytes on their
 * way to random peers, and sends the next as soon as one of its own arrives. Over the measured
 * window: messages delivered, and the CPU the server and the generator spent.
 */
import { encodeBody } from './body';
import { DeliveryChecker } from './checker';
import { Fleet, peer, random } from './fleet';
import type { ClosedLoopJob, ClosedLoopResult } from './jobs';
import { endWindow, nowUs, sleep, startWindow, until } from './window';

/** A sender whose messages have all been on their way this long without one arriving is written off and restarts. */
const STALL_MS = 1000;
const DRAIN_MS = 3000;

export async function closedLoop(job: ClosedLoopJob): Promise<ClosedLoopResult> {
  const checker = new DeliveryChecker(job.clients);
  const inFlight = new Int32Array(job.clients);
  const progress = new Float64Array(job.clients);
  const pick = random(job.seed);
  let sending = false;
  let delivered = 0;
  let id = 0;
  const fleet: Fleet = new Fleet(job, {
    message(recipient, from, text) {
      const receipt = checker.receive(recipient, from, text);
      if (!receipt.ok) return;
      delivered++;
      const sender = receipt.body.from;
      inFlight[sender] = Math.max(0, inFlight[sender]! - 1);
      progress[sender] = performance.now();
      if (sending) fill(sender);
    },
    garbled: () => checker.garbled(),
  });
  const limit = Math.min(job.inFlight, fleet.codec.maxInFlight);
  const fill = (from: number) => {
    while (inFlight[from]! < limit) {
      const to = peer(pick, from, job.clients);
      const seq = checker.send(from, to);
      const body = encodeBody({ from, to, seq, sentUs: nowUs() }, job.size);
      fleet.write(from, fleet.codec.message(from, to, body, id++));
      inFlight[from]!++;
    }
  };

  await fleet.register({ count: job.clients, window: job.window, timeoutMs: 30_000 });
  if (fleet.registered < job.clients) throw new Error(`only ${fleet.registered} of ${job.clients} registered`);
  sending = true;
  progress.fill(performance.now());
  for (let from = 0; from < job.clients; from++) fill(from);
  const stalls = setInterval(() => {
    const now = performance.now();
    for (let from = 0; from < job.clients; from++)
      if (inFlight[from]! > 0 && now - progress[from]! > STALL_MS) {
        inFlight[from] = 0;
        progress[from] = now;
        fill(from);
      }
  }, 250);

  await sleep(job.warmupMs);
  const start = startWindow(job);
  const deliveredBefore = delivered;
  await sleep(job.windowMs);
  const cpu = endWindow(job, start);
  const inWindow = delivered - deliveredBefore;
  sending = false;
  clearInterval(stalls);
  await until(() => inFlight.every((count) => count === 0), DRAIN_MS);
  fleet.close();
  return {
    workload: 'closed',
    delivered: inWindow,
    cpu,
    check: checker.result(),
    dropped: fleet.dropped,
    refused: fleet.refused,
  };
}
