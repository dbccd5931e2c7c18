/**
 * Faults of the relay process with a class connected: killed (SIGKILL) and restarted, and
 * frozen (SIGSTOP) for longer than the keepalive. Real processes, real TCP, the clients'
 * lasting connections (backoff, outbox, ids) as the extension and CLI use them.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { RelayConnection, type ConnectionOptions } from '../../src/client/connection';
import type { ConnectionEvent } from '../../src/client/connectionTypes';
import { freePort, sleep } from '../helpers/relay/peers';
import { CLI, start, stopAll, type Child } from '../helpers/process/processes';
import { eventually } from '../helpers/time/wait';

const connections: RelayConnection[] = [];
after(async () => {
  for (const connection of connections) connection.dispose();
  await stopAll();
});

async function relayProcess(port: number, extra: string[] = []): Promise<Child> {
  const child = start(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', String(port), ...extra]);
  await child.waitFor('is listening');
  return child;
}

interface Student {
  name: string;
  connection: RelayConnection;
  /** Message texts received, in order, duplicates included. */
  received: string[];
  delivered: Set<string>;
  /** When the connection reached `connected`, each time. */
  connectedAt: number[];
  states: string[];
}

function student(name: string, port: number, options: Partial<ConnectionOptions>): Student {
  const connection = new RelayConnection({ host: '127.0.0.1', port, name, dialect: 'relay', ...options });
  connections.push(connection);
  const record: Student = { name, connection, received: [], delivered: new Set(), connectedAt: [], states: [] };
  connection.onEvent((event: ConnectionEvent) => {
    if (event.type === 'state') {
      record.states.push(event.state.kind);
      if (event.state.kind === 'connected') record.connectedAt.push(Date.now());
    }
    if (event.type === 'incoming' && event.event.type === 'message') record.received.push(event.event.text);
    if (event.type === 'delivery' && event.state === 'delivered') record.delivered.add(event.id);
  });
  return record;
}

/** Each student sends `count` numbered messages to the next one; returns the ids with their texts. */
function sendRound(
  students: Student[],
  round: string,
  count: number,
): Array<{ id: string; to: Student; text: string }> {
  const sent: Array<{ id: string; to: Student; text: string }> = [];
  students.forEach((from, index) => {
    const to = students[(index + 1) % students.length]!;
    for (let number = 0; number < count; number++) {
      const text = `${round} ${from.name}→${to.name} #${number}`;
      sent.push({ id: from.connection.send(to.name, text).id, to, text });
    }
  });
  return sent;
}

function assertExactlyOnce(sent: Array<{ to: Student; text: string }>): void {
  for (const { to, text } of sent) {
    const copies = to.received.filter((received) => received === text).length;
    assert.equal(copies, 1, `"${text}" arrived ${copies} times at ${to.name}`);
  }
}

test('the relay killed with 30 students connected: all reconnect within the backoff window, spread by jitter, and nothing arrives twice', async (t) => {
  const port = await freePort();
  const relay = await relayProcess(port);
  const backoff = { initialMs: 200, maxMs: 2000, factor: 2 };
  const students = Array.from({ length: 30 }, (_, index) =>
    student(`S${String(index + 1).padStart(2, '0')}`, port, { backoff, rejoinGraceMs: 5000 }),
  );
  await Promise.all(students.map((one) => one.connection.start()));
  const before = sendRound(students, 'vorher', 3);
  await eventually(
    () => before.every(({ id }) => students.some((one) => one.delivered.has(id))),
    () => 'the first round to be delivered',
  );

  relay.process.kill('SIGKILL');
  await relay.exited;
  await eventually(
    () => students.every((one) => one.connection.state.kind !== 'connected'),
    () => 'every student to notice the relay is gone',
  );
  const during = sendRound(students, 'offline', 2);
  await sleep(1500);
  const restarted = Date.now();
  // The relay again on the same port; it is stopped with the file's other processes.
  await relayProcess(port);

  await eventually(
    () => students.every((one) => one.connectedAt.some((at) => at >= restarted)),
    () => `${students.filter((one) => !one.connectedAt.some((at) => at >= restarted)).length} students not back`,
    15_000,
  );
  const back = students.map((one) => one.connectedAt.find((at) => at >= restarted)! - restarted);
  // Each was waiting at most backoff.maxMs when the relay came back; it needs a moment to start.
  const startup = Date.now() - restarted;
  assert.ok(Math.max(...back) <= backoff.maxMs + startup + 1000, `back after ${back.join(', ')} ms`);
  assert.ok(Math.max(...back) - Math.min(...back) >= 200, `reconnects not spread by jitter: ${back.join(', ')} ms`);
  t.diagnostic(
    `back ${Math.min(...back)}–${Math.max(...back)} ms after the restart (relay start ${startup} ms); ${during.length} messages written while it was down`,
  );

  await eventually(
    () => during.every(({ id }) => students.some((one) => one.delivered.has(id))),
    () => 'the messages written while the relay was down to be delivered',
    20_000,
  );
  await sleep(500);
  assertExactlyOnce([...before, ...during]);
});

test('the relay frozen longer than the keepalive: students notice and reconnect, and lose nothing when it resumes', async (t) => {
  const port = await freePort();
  const relay = await relayProcess(port, ['--keepalive-seconds', '0.5']);
  const options: Partial<ConnectionOptions> = {
    backoff: { initialMs: 200, maxMs: 1000, factor: 2 },
    rejoinGraceMs: 5000,
    framed: { keepaliveMs: 300, welcomeTimeoutMs: 1000, ackTimeoutMs: 1500 },
  };
  const students = ['Anna', 'Ben', 'Cleo', 'Dario', 'Eli', 'Fatma'].map((name) => student(name, port, options));
  await Promise.all(students.map((one) => one.connection.start()));
  const before = sendRound(students, 'vorher', 2);
  await eventually(
    () => before.every(({ id }) => students.some((one) => one.delivered.has(id))),
    () => 'the first round to be delivered',
  );

  relay.process.kill('SIGSTOP');
  try {
    const stopped = students.map((one) => one.states.length);
    const during = sendRound(students, 'eingefroren', 2);
    await eventually(
      () => students.every((one, index) => one.states.slice(stopped[index]).includes('waiting')),
      () => `states ${students.map((one) => `${one.name}: ${one.connection.state.kind}`).join(', ')}`,
      5000,
    );
    await sleep(1000);
    assert.ok(
      during.every(({ id }) => !students.some((one) => one.delivered.has(id))),
      'nothing is delivered while the relay is frozen',
    );
    relay.process.kill('SIGCONT');
    const resumed = Date.now();
    await eventually(
      () => during.every(({ id }) => students.some((one) => one.delivered.has(id))),
      () => 'the messages written during the freeze to be delivered',
      20_000,
    );
    await eventually(
      () => students.every((one) => one.connection.state.kind === 'connected'),
      () => 'every student connected again',
      10_000,
    );
    t.diagnostic(
      `all ${during.length} messages written during the freeze delivered ${Date.now() - resumed} ms after it ended`,
    );
    await sleep(500);
    assertExactlyOnce([...before, ...during]);
  } finally {
    relay.process.kill('SIGCONT');
  }
});
