/**
 * Workload (a), the closed loop: every client keeps `inFlight` messages of `size` bytes on their
 * way to random peers, and sends the next as soon as one of its own arrives. Over the measured
 * window: messages delivered, the CPU the server and the generator spent, and each message's time
 * to its recipient (and to its ack, framed): with every place in flight taken, what the loop waits on.
 */
import { encodeBody } from './body';
import { DeliveryChecker } from './checker';
import { Fleet, peer, random } from './fleet';
import type { ClosedLoopJob, ClosedLoopResult } from './jobs';
import { Samples, summarize } from './stats';
import { endWindow, nowUs, sleep, startWindow, until } from './window';

/** A sender whose messages have all been on their way this long without one arriving is written off and restarts. */
const STALL_MS = 1000;
/** How long the last messages may take to arrive after the window; what has not arrived by then is lost. */
const DRAIN_MS = 10_000;

export async function closedLoop(job: ClosedLoopJob): Promise<ClosedLoopResult> {
  const checker = new DeliveryChecker(job.clients);
  const inFlight = new Int32Array(job.clients);
  const progress = new Float64Array(job.clients);
  const pick = random(job.seed);
  let sending = false;
  /**
   * Messages written from then on, until the window ends, give their times to the recipient and to
   * the ack: not the ones written before, which a stall of the warm-up would leave in the window.
   */
  let measuring = { from: Infinity, to: Infinity };
  const sentInWindow = (sentUs: number) => sentUs >= measuring.from && sentUs < measuring.to;
  let delivered = 0;
  /** When each message was written, by the id it was sent with. */
  const written = new Samples();
  const toRecipient = new Samples();
  const toAck = new Samples();
  const fleet: Fleet = new Fleet(job, {
    message(recipient, from, text, readUs) {
      const receipt = checker.receive(recipient, from, text);
      if (!receipt.ok) return;
      delivered++;
      if (sentInWindow(receipt.body.sentUs)) toRecipient.push(readUs - receipt.body.sentUs);
      const sender = receipt.body.from;
      inFlight[sender] = Math.max(0, inFlight[sender]! - 1);
      progress[sender] = performance.now();
      if (sending) fill(sender);
    },
    garbled: () => checker.garbled(),
    acked(_sender, ack, readUs) {
      const sentUs = written.at(Number(ack.slice(1)));
      if (sentInWindow(sentUs)) toAck.push(readUs - sentUs);
    },
  });
  const limit = Math.min(job.inFlight, fleet.codec.maxInFlight);
  const fill = (from: number) => {
    while (inFlight[from]! < limit) {
      const to = peer(pick, from, job.clients);
      const seq = checker.send(from, to);
      const sentUs = nowUs();
      const body = encodeBody({ from, to, seq, sentUs }, job.size);
      fleet.write(from, fleet.codec.message(from, to, body, written.length));
      written.push(sentUs);
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
  measuring = { from: nowUs(), to: Infinity };
  await sleep(job.windowMs);
  const cpu = endWindow(job, start);
  measuring = { ...measuring, to: nowUs() };
  const inWindow = delivered - deliveredBefore;
  sending = false;
  clearInterval(stalls);
  // Every message written is waited for, also those of a sender written off after a stall: the
  // counters of places in flight say nothing of what is still on its way to a recipient.
  await until(() => delivered >= written.length, DRAIN_MS);
  fleet.close();
  return {
    workload: 'closed',
    delivered: inWindow,
    cpu,
    toRecipientUs: summarize(toRecipient.toArray()),
    ...(toAck.length > 0 ? { ackUs: summarize(toAck.toArray()) } : {}),
    check: checker.result(),
    dropped: fleet.dropped,
    refused: fleet.refused,
  };
}
