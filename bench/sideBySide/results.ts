/** What the suite learned about each server: per workload a result, or why there is none. */
import type { BroadcastResult, ClosedLoopResult, IdleResult, OpenLoopResult } from './jobs';
import type { ServerKind } from './plan';

export type Outcome<T> = { ok: true; result: T } | { ok: false; reason: string; failed: boolean };

export interface ServerRun {
  kind: ServerKind;
  label: string;
  /** Whether a lost or corrupted message fails the run (not for the course relay, whose faults are known). */
  strict: boolean;
  /** By message size. */
  closed: Record<number, Outcome<ClosedLoopResult>>;
  /** By offered rate. */
  open: Record<number, Outcome<OpenLoopResult>>;
  broadcast?: Outcome<BroadcastResult>;
  idle?: Outcome<IdleResult>;
}

export const SERVER_LABELS: Record<ServerKind, string> = {
  course: 'course relay (Python)',
  ngircd: 'ngircd',
  floor: 'bare Node forwarder',
  'relay-line': 'our relay, course dialect (line)',
  'relay-pause': 'our relay, course dialect (pause)',
  'relay-framed': 'our relay, framed',
};

/** Every outcome of a run, whatever the workload. */
export function outcomes(
  run: ServerRun,
): Array<Outcome<ClosedLoopResult | OpenLoopResult | BroadcastResult | IdleResult>> {
  return [
    ...Object.values(run.closed),
    ...Object.values(run.open),
    ...(run.broadcast ? [run.broadcast] : []),
    ...(run.idle ? [run.idle] : []),
  ];
}
