/**
 * Admission keeps its count on the connections themselves: limits in all and per address, a
 * connection without a name closed to make room, and leaving twice counted once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Admission, type Admitted } from '../../../src/server/connections/admission';

interface Fake extends Admitted {
  name: string;
}

function admission(maxConnections: number, maxConnectionsPerAddress: number) {
  const madeRoom: string[] = [];
  const gate = new Admission<Fake>(
    {
      maxConnections,
      maxConnectionsPerAddress,
      unregistered: { total: 100, perAddress: 100, graceMs: 0 },
    },
    (connection, why) => madeRoom.push(`${connection.name}: ${why}`),
    (connection) => connection,
  );
  const enter = (name: string, address: string): Fake => {
    assert.equal(gate.admit(address), undefined, `${name} is let in`);
    const connection: Fake = { name, address, counted: false };
    gate.enter(connection);
    return connection;
  };
  return { gate, madeRoom, enter };
}

test('a registered connection is never closed to make room: at the limit, a newcomer is refused', () => {
  const { gate, madeRoom, enter } = admission(2, 10);
  gate.registered(enter('Alice', '10.0.0.1'));
  gate.registered(enter('Bob', '10.0.0.2'));
  assert.match(gate.admit('10.0.0.3') ?? '', /the relay has 2 connections/);
  assert.deepEqual(madeRoom, []);
});

test('at the limit, the oldest connection still without a name makes room for a newcomer', () => {
  const { gate, madeRoom, enter } = admission(2, 10);
  gate.registered(enter('Alice', '10.0.0.1'));
  const silent = enter('Silent', '10.0.0.2');
  enter('Carol', '10.0.0.3');
  assert.deepEqual(madeRoom, ['Silent: the relay is at its limit of connections (--max-connections)']);
  assert.equal(silent.counted, false);
});

test('connections are counted per address, and a connection leaving twice leaves once', () => {
  const { gate, enter } = admission(10, 2);
  const first = enter('Alice', '10.0.0.1');
  gate.registered(first);
  gate.registered(enter('Bob', '10.0.0.1'));
  assert.match(gate.admit('10.0.0.1') ?? '', /2 connections from 10\.0\.0\.1/);
  assert.equal(gate.admit('10.0.0.2'), undefined);
  gate.leave(first);
  gate.leave(first);
  assert.equal(first.counted, false);
  assert.equal(gate.admit('10.0.0.1'), undefined);
  gate.registered(enter('Carol', '10.0.0.1'));
  assert.match(gate.admit('10.0.0.1') ?? '', /2 connections from 10\.0\.0\.1/);
});
