/**
 * The side-by-side suite: the same workloads against our relay (framed, course dialect in line and
 * pause mode), the course relay re-creation, ngircd and a bare forwarder, in one run; prints the
 * tables and writes docs/benchmarks.md with its chart. Exits 1 when a message was lost or corrupted
 * by our relay, ngircd or the floor, or a measurement of one of them failed. See plan.ts for the
 * environment variables that choose a part of it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { faultless, type CheckCounts } from './checker';
import { CODECS } from './codecs';
import { ATTEMPTS, disturbance, disturbanceText, disturbed, lessDisturbed } from './disturbance';
import { count, duration, micros } from './format';
import type { Job, JobResult } from './jobs';
import { describeMachine, ticksPerSecond, type Machine } from './machine';
import { inOwnNamespace, rerunInOwnNamespace } from './netns';
import { findOrInstallNgircd, type NgircdFound } from './ngircd';
import { makePlan, openClients, type Plan, type ServerKind } from './plan';
import { otherResults, terminalReport, writeReport } from './report';
import { outcomes, SERVER_LABELS, type Outcome, type ServerRun } from './results';
import { runGenerator } from './runGenerator';
import { DIALECTS, startServer, TEACHER_KEY, type ServerContext } from './servers';
import { faults, registeredAll } from './summary';

/** A job as a workload states it; the server's port and process and the rest are filled in when it runs. */
type JobSpec = Job extends infer Each
  ? Each extends Job
    ? Omit<Each, 'port' | 'serverPid' | 'ticksPerSecond' | 'dialect' | 'seed' | 'teacherKey' | 'window'>
    : never
  : never;

const root = resolve(__dirname, '..', '..', '..');

function describe(result: JobResult): string {
  switch (result.workload) {
    case 'closed':
      return `${count(result.delivered / (result.cpu.wallUs / 1e6))} msg/s, ${micros(result.cpu.serverUs / result.delivered)} per message`;
    case 'open':
      return `p50 ${duration(result.latencyUs.p50)}, p99 ${duration(result.latencyUs.p99)}, max ${duration(result.latencyUs.max)}`;
    case 'broadcast':
      return `last receives after ${result.lastUs.map(duration).join(', ')}`;
    case 'idle':
      return `${count(result.registered)} registered in ${duration(result.registerUs)}`;
  }
}

async function attempt<T extends JobResult>(
  run: ServerRun,
  context: ServerContext,
  plan: Plan,
  spec: JobSpec,
): Promise<T> {
  const server = await startServer(run.kind, context);
  try {
    const job = {
      ...spec,
      dialect: DIALECTS[run.kind],
      port: server.port,
      serverPid: server.pid,
      ticksPerSecond: context.ticks,
      teacherKey: TEACHER_KEY,
      seed: plan.seed,
      window: Math.min(plan.registering, server.backlog ?? Infinity),
    } as Job;
    return (await runGenerator(context.bundles, job)) as T;
  } finally {
    await server.stop();
  }
}

function addChecks(into: CheckCounts, from: CheckCounts): void {
  for (const key of Object.keys(into) as Array<keyof CheckCounts>) into[key] += from[key];
}

async function measure<T extends JobResult>(
  plan: Plan,
  run: ServerRun,
  context: ServerContext,
  what: string,
  spec: JobSpec,
): Promise<Outcome<T>> {
  try {
    let kept: T | undefined;
    const checks: CheckCounts[] = [];
    for (let round = 1; round <= ATTEMPTS; round++) {
      const result = await attempt<T>(run, context, plan, spec).catch((error: Error) => error);
      if (result instanceof Error) {
        // A setup that did not complete (clients not registered in time) is measured again too.
        if (kept) break;
        if (round === ATTEMPTS) throw result;
        console.log(`  ${what}, ${run.label}: ${result.message.split('\n')[0]}; measuring again`);
        continue;
      }
      if ('check' in result) checks.push(result.check);
      if (!kept || lessDisturbed(disturbance(result), disturbance(kept))) kept = result;
      if (!disturbed(disturbance(result))) break;
      console.log(`  ${what}, ${run.label}: ${disturbanceText(result)}; measuring again`);
    }
    const result = kept!;
    if ('check' in result) {
      result.check = { sent: 0, delivered: 0, lost: 0, corrupted: 0, duplicated: 0, reordered: 0 };
      for (const check of checks) addChecks(result.check, check);
    }
    const check = 'check' in result ? result.check : undefined;
    const verdict = check && !faultless(check) ? ` — FAULTS: ${JSON.stringify(check)}` : '';
    console.log(`  ${what}, ${run.label}: ${describe(result)}${verdict}`);
    return { ok: true, result };
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
    console.log(`  ${what}, ${run.label}: failed: ${reason}`);
    return { ok: false, failed: true, reason };
  }
}

const skip = (reason: string): Outcome<never> => ({ ok: false, failed: false, reason });

async function runAll(plan: Plan, runs: ServerRun[], context: ServerContext): Promise<void> {
  const { closed, open, broadcast, idle } = plan;
  if (plan.workloads.includes('closed'))
    for (const size of closed.sizes) {
      console.log(`closed loop, ${count(size)} B`);
      for (const run of runs) {
        const codec = CODECS[DIALECTS[run.kind]];
        run.closed[size] =
          size > codec.maxText
            ? skip(
                `messages of ${count(size)} B do not fit (at most ${count(codec.maxText)} B: an IRC line is 512 bytes)`,
              )
            : await measure(plan, run, context, `closed loop ${size} B`, {
                workload: 'closed',
                clients: closed.clients,
                inFlight: closed.inFlight,
                size,
                warmupMs: closed.warmupMs,
                windowMs: closed.windowMs,
                deadlineMs: closed.warmupMs + closed.windowMs + 60_000,
              });
      }
    }
  if (plan.workloads.includes('open'))
    for (const rate of open.rates) {
      console.log(`open loop, ${count(rate)} msg/s`);
      for (const run of runs) {
        const clients = openClients(plan, rate, CODECS[DIALECTS[run.kind]].paceMs);
        run.open[rate] = await measure(plan, run, context, `open loop ${rate} msg/s`, {
          workload: 'open',
          clients,
          rate,
          size: open.size,
          warmupMs: open.warmupMs,
          windowMs: open.windowMs,
          // More clients take longer to register (a pause-mode client waits a second after its name).
          deadlineMs: open.warmupMs + open.windowMs + 60_000 + clients * 10,
        });
      }
    }
  if (plan.workloads.includes('broadcast')) {
    console.log(`broadcast to ${count(broadcast.recipients)}`);
    for (const run of runs)
      run.broadcast = !CODECS[DIALECTS[run.kind]].broadcast
        ? skip('the course dialect has no broadcast')
        : await measure(plan, run, context, 'broadcast', {
            workload: 'broadcast',
            ...broadcast,
            deadlineMs: 120_000,
          });
  }
  if (plan.workloads.includes('idle')) {
    console.log(`${count(idle.clients)} idle connections`);
    for (const run of runs)
      run.idle = await measure(plan, run, context, 'idle', {
        workload: 'idle',
        ...idle,
        deadlineMs: 90_000 + idle.settleMs,
      });
  }
}

/** Whether the run holds: no fault and no failed measurement for a server held to it. */
function passed(plan: Plan, runs: ServerRun[]): boolean {
  return runs.every(
    (run) =>
      !run.strict ||
      (faultless(faults(run)) &&
        registeredAll(plan, run) &&
        outcomes(run).every((outcome) => outcome.ok || !outcome.failed)),
  );
}

function commandLine(): string {
  const set = ['BENCH_QUICK', 'BENCH_SERVERS', 'BENCH_WORKLOADS', 'BENCH_SIZES', 'BENCH_FLOOR_FAULT']
    .filter((name) => process.env[name])
    .map((name) => `${name}=${process.env[name]}`);
  return [...set, 'npm run bench'].join(' ');
}

/** ngircd found, or installed when missing, if the plan has it: before the suite enters a namespace without network. */
function ngircdFor(plan: Plan): NgircdFound | undefined {
  if (!plan.servers.includes('ngircd')) return undefined;
  const missing = process.env[NGIRCD_MISSING];
  return missing ? { ok: false, reason: missing } : findOrInstallNgircd();
}

async function measureAll(plan: Plan): Promise<void> {
  let servers: ServerKind[] = plan.servers;
  let ngircdVersion = 'not used';
  let ngircd: string | undefined;
  const found = ngircdFor(plan);
  if (found?.ok) [ngircd, ngircdVersion] = [found.binary, found.version];
  else if (found) {
    console.log(`Going on without ngircd: ${found.reason}`);
    ngircdVersion = `not available (${found.reason})`;
    servers = servers.filter((kind) => kind !== 'ngircd');
  }
  const runs: ServerRun[] = servers.map((kind) => ({
    kind,
    label: kind === 'ngircd' ? `ngircd ${ngircdVersion}` : SERVER_LABELS[kind],
    strict: kind !== 'course',
    closed: {},
    open: {},
  }));
  const tmp = mkdtempSync(join(tmpdir(), 'side-by-side-'));
  const context: ServerContext = {
    root,
    bundles: __dirname,
    tmp,
    ngircd,
    floorFault: plan.floorFault,
    ticks: ticksPerSecond(),
  };
  try {
    await runAll(plan, runs, context);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const measured: Measured = { plan, runs, machine: describeMachine(ngircdVersion), command: commandLine() };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(RESULTS, JSON.stringify(measured, null, 2));
  report(measured);
}

/** What one run measured, kept in out/bench/side-by-side.json so that the report can be written again. */
interface Measured {
  plan: Plan;
  runs: ServerRun[];
  machine?: Machine;
  command?: string;
}

const OUT = join(root, 'out', 'bench');
const RESULTS = join(OUT, 'side-by-side.json');

function report(measured: Measured): void {
  const { plan, runs } = measured;
  const ok = passed(plan, runs);
  console.log(`\n${terminalReport(plan, runs)}\n`);
  const written = writeReport({
    ...measured,
    machine: measured.machine ?? describeMachine('unknown'),
    command: measured.command ?? 'npm run bench',
    others: otherResults(join(OUT, 'results')),
    passed: ok,
  });
  console.log(`Report: ${written.markdown}, chart: ${written.svg}`);
  if (!ok) {
    console.error('FAILED: a message was lost or corrupted, or a measurement failed (see above)');
    process.exitCode = 1;
  }
}

/** `BENCH_REPORT_ONLY=1`: writes the report of the last run again (after a change to the report), measuring nothing. */
function reportAgain(): void {
  const measured = JSON.parse(readFileSync(RESULTS, 'utf8')) as Measured;
  if (process.env.BENCH_REPORT_DIR) measured.plan.reportDir = process.env.BENCH_REPORT_DIR;
  // Results kept before the machine was kept with them: this is the machine they were measured on.
  const ngircd = measured.runs.find((run) => run.kind === 'ngircd')?.label.replace(/^ngircd /, '') ?? 'not used';
  const now = describeMachine(ngircd);
  // Not the network of this process (which measures nothing) but the one the results came from, when kept.
  measured.machine = { ...now, network: undefined, ...measured.machine, load: now.load };
  measured.command ??= 'npm run bench';
  report(measured);
}

/** Set for the suite run again in its own network namespace when ngircd could not be found or installed. */
const NGIRCD_MISSING = 'BENCH_NGIRCD_MISSING';

async function main(): Promise<void> {
  if (process.env.BENCH_REPORT_ONLY === '1') return reportAgain();
  const plan = makePlan(process.env, root);
  if (!inOwnNamespace()) {
    const found = ngircdFor(plan);
    const code = await rerunInOwnNamespace(found && !found.ok ? { [NGIRCD_MISSING]: found.reason } : {});
    if (code !== undefined) {
      process.exitCode = code;
      return;
    }
  }
  await measureAll(plan);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
