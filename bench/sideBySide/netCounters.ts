/**
 * The kernel's TCP counters that show a benchmark stalled by the network rather than by a server:
 * connections refused at a full listen backlog, segments sent again, and packets dropped at a
 * CPU's full input queue. Read from /proc/net (of the network namespace the suite runs in: the
 * suite's own when it could make one, see netns.ts) before and after a window; parsing is pure.
 */
import { readFileSync } from 'node:fs';

export interface NetCounters {
  /** SYNs and handshake ends dropped because a listen backlog was full (TcpExt ListenOverflows). */
  listenOverflows: number;
  /** SYNs sent again by a client whose first went unanswered (TcpExt TCPSynRetrans). */
  synRetransmits: number;
  /**
   * Segments sent again, SYNs included (Tcp RetransSegs). Most on a busy loopback are tail loss
   * probes: a segment sent again 10 ms or so after the last unanswered one, which its receiver
   * already had (a stall of nobody); the ones that stall are counted as timeouts.
   */
  retransmits: number;
  /** Retransmission timeouts (TcpExt TCPTimeouts): a connection that waited 200 ms or more (a SYN: 1 s). */
  timeouts: number;
  /** Packets dropped because a CPU's input queue was full (/proc/net/softnet_stat; all namespaces). */
  softnetDrops: number;
}

export const NO_COUNTS: NetCounters = {
  listenOverflows: 0,
  synRetransmits: 0,
  retransmits: 0,
  timeouts: 0,
  softnetDrops: 0,
};

/**
 * The named counters of /proc/net/netstat or /proc/net/snmp: lines come in pairs, a `Prefix:` line of
 * names and a `Prefix:` line of values; each counter is named `Prefix.Name`.
 */
export function parseCounterPairs(text: string): Map<string, number> {
  const counters = new Map<string, number>();
  const lines = text.trim().split('\n');
  for (let index = 0; index + 1 < lines.length; index += 2) {
    const names = lines[index]!.trim().split(/\s+/);
    const values = lines[index + 1]!.trim().split(/\s+/);
    const prefix = names[0]!;
    if (values[0] !== prefix) continue;
    for (let column = 1; column < names.length; column++)
      counters.set(`${prefix.slice(0, -1)}.${names[column]}`, Number(values[column]));
  }
  return counters;
}

/** Drops summed over CPUs: the second column (hexadecimal) of each line of /proc/net/softnet_stat. */
export function parseSoftnetDrops(text: string): number {
  return text
    .trim()
    .split('\n')
    .reduce((sum, line) => sum + (parseInt(line.trim().split(/\s+/)[1] ?? '0', 16) || 0), 0);
}

export function countersFrom(netstat: string, snmp: string, softnet: string): NetCounters {
  const named = new Map([...parseCounterPairs(netstat), ...parseCounterPairs(snmp)]);
  return {
    listenOverflows: named.get('TcpExt.ListenOverflows') ?? 0,
    synRetransmits: named.get('TcpExt.TCPSynRetrans') ?? 0,
    retransmits: named.get('Tcp.RetransSegs') ?? 0,
    timeouts: named.get('TcpExt.TCPTimeouts') ?? 0,
    softnetDrops: parseSoftnetDrops(softnet),
  };
}

function read(file: string): string {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return '';
  }
}

export function readNetCounters(): NetCounters {
  return countersFrom(read('/proc/net/netstat'), read('/proc/net/snmp'), read('/proc/net/softnet_stat'));
}

/** What the counters grew by from `before` to `after`. */
export function countersSince(before: NetCounters, after: NetCounters = readNetCounters()): NetCounters {
  return {
    listenOverflows: after.listenOverflows - before.listenOverflows,
    synRetransmits: after.synRetransmits - before.synRetransmits,
    retransmits: after.retransmits - before.retransmits,
    timeouts: after.timeouts - before.timeouts,
    softnetDrops: after.softnetDrops - before.softnetDrops,
  };
}

/** What in the counts stalled a connection for 200 ms or more: overflows, timeouts, dropped packets. */
export function stalls(counts: NetCounters): number {
  return counts.listenOverflows + counts.timeouts + counts.softnetDrops;
}
