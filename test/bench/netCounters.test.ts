import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  countersFrom,
  countersSince,
  NO_COUNTS,
  parseCounterPairs,
  parseSoftnetDrops,
  stalls,
} from '../../bench/sideBySide/netCounters';

const NETSTAT = [
  'TcpExt: SyncookiesSent PruneCalled ListenOverflows ListenDrops TCPTimeouts TCPSynRetrans',
  'TcpExt: 0 3 17 17 5 9',
  'IpExt: InNoRoutes InOctets',
  'IpExt: 0 123456',
].join('\n');

const SNMP = [
  'Ip: Forwarding DefaultTTL',
  'Ip: 1 64',
  'Tcp: RtoAlgorithm RtoMin ActiveOpens RetransSegs InErrs',
  'Tcp: 1 200 300 42 0',
].join('\n');

const SOFTNET = ['04183355 0000dd49 00000000', '049b4e7d 00000010 00000000'].join('\n');

test('the counter files are read as pairs of a line of names and a line of values, each name under its prefix', () => {
  const counters = parseCounterPairs(NETSTAT);
  assert.equal(counters.get('TcpExt.ListenOverflows'), 17);
  assert.equal(counters.get('TcpExt.TCPSynRetrans'), 9);
  assert.equal(counters.get('IpExt.InOctets'), 123456);
  assert.equal(counters.get('Tcp.ListenOverflows'), undefined);
});

test('loopback drops are the second column of softnet_stat, in hexadecimal, summed over the CPUs', () => {
  assert.equal(parseSoftnetDrops(SOFTNET), 0xdd49 + 0x10);
  assert.equal(parseSoftnetDrops(''), 0);
});

test('the counters taken are listen overflows, SYNs sent again, retransmitted segments, timeouts and drops', () => {
  assert.deepEqual(countersFrom(NETSTAT, SNMP, SOFTNET), {
    listenOverflows: 17,
    synRetransmits: 9,
    retransmits: 42,
    timeouts: 5,
    softnetDrops: 0xdd59,
  });
  assert.deepEqual(countersFrom('', '', ''), NO_COUNTS);
});

test('a window counts what grew, and only overflows, timeouts and drops count as stalls, not tail loss probes', () => {
  const before = countersFrom(NETSTAT, SNMP, SOFTNET);
  const after = { ...before, retransmits: before.retransmits + 300 };
  const grown = countersSince(before, after);
  assert.deepEqual(grown, { ...NO_COUNTS, retransmits: 300 });
  assert.equal(stalls(grown), 0);
  assert.equal(stalls({ ...grown, timeouts: 2, listenOverflows: 1, softnetDrops: 4 }), 7);
});
