/**
 * Workload (b), the open loop: messages go out at a fixed total rate, whatever the server does,
 * from the clients in turn to random peers; each carries the time it was written, and the
 * recipient's read gives its latency. The generator's lag behind the schedule is measured too.
 */
import { encodeBody } from './body';
import { DeliveryChecker } from './checker';
import { Fleet, peer, random } from './fleet';
import type { OpenLoopJob, OpenLoopResult } from './jobs';
import { Samples, summarize } from './stats';
import { endWindow, nowUs, sleep, startWindow, until } from './window';

const DRAIN_MS = 3000;

export async function openLoop(job: OpenLoopJob): Promise<OpenLoopResult> {
  const checker = new DeliveryChecker(job.clients);
  const latencies = new Samples();
  const lags = new Samples();
  const pick = random(job.seed);
  let delivered = 0;
  let received = 0;
  let sent = 0;
  let measuring = { from: Infinity, to: Infinity };
  const fleet = new Fleet(job, {
    message(recipient, from, text, readUs) {
      const receipt = checker.receive(recipient, from, text);
      if (!receipt.ok) return;
      received++;
      const { sentUs } = receipt.body;
      if (sentUs >= measuring.from && sentUs < measuring.to) {
        delivered++;
        latencies.push(readUs - sentUs);
      }
    },
    garbled: () => checker.garbled(),
  });
  const perSenderGapMs = (job.clients * 1000) / job.rate;
  if (perSenderGapMs < fleet.codec.minGapMs) throw new Error(`${job.rate} msg/s is beyond what ${job.dialect} carries`);

  await fleet.register({ count: job.clients, window: job.window, timeoutMs: 30_000 });
  if (fleet.registered < job.clients) throw new Error(`only ${fleet.registered} of ${job.clients} registered`);
  const intervalMs = 1000 / job.rate;
  const begin = performance.now();
  let scheduled = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // A client's message that comes due sooner than its least gap after its last waits (pause mode).
  const lastWrite = new Float64Array(job.clients).fill(-Infinity);
  const deferred: Array<{ from: number; due: number }> = [];
  const ready = (from: number, now: number) => now - lastWrite[from]! >= fleet.codec.minGapMs;
  const write = (from: number, due: number) => {
    const to = peer(pick, from, job.clients);
    const seq = checker.send(from, to);
    const sentUs = nowUs();
    if (sentUs >= measuring.from && sentUs < measuring.to) lags.push(sentUs - due * 1000);
    fleet.write(from, fleet.codec.message(from, to, encodeBody({ from, to, seq, sentUs }, job.size), sent));
    lastWrite[from] = sentUs / 1000;
    sent++;
  };
  const tick = () => {
    const now = performance.now();
    for (let index = 0; index < deferred.length;) {
      const waiting = deferred[index]!;
      if (!ready(waiting.from, now)) index++;
      else {
        deferred.splice(index, 1);
        write(waiting.from, waiting.due);
      }
    }
    while (begin + scheduled * intervalMs <= now) {
      const from = scheduled % job.clients;
      const due = begin + scheduled * intervalMs;
      scheduled++;
      if (ready(from, now) && !deferred.some((each) => each.from === from)) write(from, due);
      else deferred.push({ from, due });
    }
    const next = Math.min(
      begin + scheduled * intervalMs,
      ...deferred.map((each) => lastWrite[each.from]! + fleet.codec.minGapMs),
    );
    if (!stopped) timer = setTimeout(tick, Math.max(0, next - performance.now()));
  };
  tick();

  await sleep(job.warmupMs);
  const start = startWindow(job);
  measuring = { from: nowUs(), to: Infinity };
  await sleep(job.windowMs);
  measuring = { ...measuring, to: nowUs() };
  const cpu = endWindow(job, start);
  stopped = true;
  clearTimeout(timer);
  await until(() => received >= sent, DRAIN_MS);
  fleet.close();
  return {
    workload: 'open',
    clients: job.clients,
    delivered,
    latencyUs: summarize(latencies.toArray()),
    sendLagUs: summarize(lags.toArray()),
    cpu,
    check: checker.result(),
    dropped: fleet.dropped,
    refused: fleet.refused,
  };
}
