/**
 * One address cannot make the relay shout: registrations per address are rate-limited (so is the
 * presence and the log they cause), the kept hints every newcomer gets are rendered once, join
 * and leave lines have a budget with a summary, and asking who is online spends an allowance of
 * its own. 127.0.0.x addresses play other hosts.
 */
import { test } from 'node:test';
import { connect } from 'node:net';
import { once } from 'node:events';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { FramedPeer, RawPeer, sleep } from '../helpers/relay/peers';
import { helloFrom } from '../helpers/relay/hosts';
import { eventually } from '../helpers/time/wait';
import type { Envelope } from '../../src/server/routing/peer';
import { courseParts } from '../../src/server/sessions/courseRendering';
import { RelayLog } from '../../src/server/log';

const relay = relaysForThisFile();
const KEY = 'kreide-tafel-schwamm-42';

/** A course client from `from` that sends its name, newline-terminated, and waits a moment for an answer. */
async function courseFrom(port: number, from: string, name: string): Promise<RawPeer> {
  const peer = await RawPeer.connect(port, { from });
  peer.write(`${name}\n`);
  await sleep(20);
  return peer;
}

test('registrations per address are rate-limited: past its burst a host is refused in both dialects, others are not', async () => {
  const { port, relay: server } = await relay({
    maxConnectionsPerAddress: 200,
    registrations: { burst: 64, perMinute: 30 },
  });
  let registered = 0;
  const refusals: string[] = [];
  for (let index = 0; index < 100; index++) {
    const churn = await courseFrom(port, '127.0.0.8', `Wegwerf ${index}`);
    await eventually(
      () => churn.closed || server.online.includes(`Wegwerf ${index}`),
      () => `Wegwerf ${index}: ${churn.text}`,
    );
    if (server.online.includes(`Wegwerf ${index}`)) registered++;
    else refusals.push(churn.text);
    churn.close();
  }
  assert.ok(registered >= 64 && registered <= 66, `${registered} of 100 registered`);
  assert.match(
    refusals[0] ?? '',
    /^Fehler: Zu viele Anmeldungen von deiner Adresse in kurzer Zeit\. Bitte in \d+ s neu verbinden\.\n$/,
  );
  const framed = await helloFrom(port, '127.0.0.8', 'Noch einer');
  assert.equal(framed.answer.type === 'error' && framed.answer.code, 'too-many-connections');
  assert.match(
    framed.answer.type === 'error' ? framed.answer.message : '',
    /too many registrations from 127\.0\.0\.8 lately; try again in \d+ s/,
  );
  const other = await helloFrom(port, '127.0.0.9', 'Andere Adresse');
  assert.equal(other.answer.type, 'welcome');
});

test('a kept hint is rendered once for every newcomer: each form of it is made once and its bytes written to all', () => {
  const hint: Envelope = {
    type: 'broadcast',
    from: 'Frau Keller',
    text: '[python code, 1 line]',
    snippet: { language: 'python', code: 'print(1)\n'.repeat(5000) },
    at: new Date().toISOString(),
    teacher: true,
  };
  const first = courseParts(hint, true, true);
  assert.equal(courseParts(hint, true, true), first, 'the same parts, not rendered again');
  assert.notEqual(courseParts(hint, false, true), first, 'a client framing by pauses gets its own form');
  assert.match(Buffer.from(first[0]!).toString(), /^Frau Keller \(Lehrperson, an alle, [^)]+\): ```python\n/);
});

test('five large hints kept cost a course newcomer little: they are not rendered again for each', async () => {
  const { port } = await relay({ teacherKey: KEY, maxConnectionsPerAddress: 200, registrations: { burst: 200 } });
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  const code = 'for i in range(10):\n    print(i)  # \u00e4\n'.repeat(1200);
  for (let index = 0; index < 5; index++) {
    keller.send({ type: 'broadcast', id: `h${index}`, text: '', snippet: { language: 'python', code } });
    await keller.next('ack');
  }
  // The first newcomer shows what each gets; the others only count bytes, so the clients cost next to nothing.
  const first = await RawPeer.connect(port);
  first.write('Neu\n');
  const text = await first.waitFor((got) => (got.match(/```\n/g) ?? []).length >= 5, 20_000);
  await sleep(200);
  const expected = Buffer.byteLength(first.text);
  const newcomers = 40;
  const before = process.cpuUsage();
  const counts = await Promise.all(
    Array.from({ length: newcomers }, async (_, index) => {
      const socket = connect({ host: '127.0.0.1', port });
      let bytes = 0;
      socket.on('data', (data: Buffer) => (bytes += data.length));
      await once(socket, 'connect');
      socket.write(`Neu ${index}\n`);
      await eventually(
        () => bytes >= expected,
        () => `${bytes} of ${expected} bytes`,
        20_000,
      );
      socket.destroy();
      return bytes;
    }),
  );
  const { user, system } = process.cpuUsage(before);
  const perNewcomer = (user + system) / 1000 / newcomers;
  assert.ok(
    counts.every((count) => count === expected),
    `every newcomer got the ${expected} bytes of the first: ${counts.join(', ')}`,
  );
  assert.ok(text.includes('Frau Keller (Lehrperson, an alle, '));
  // Rendered for each, five hints of 52 KB cost a newcomer about 10 ms of the relay's CPU.
  assert.ok(perNewcomer < 5, `${perNewcomer.toFixed(1)} ms of CPU per newcomer (relay and clients together)`);
});

test('join and leave lines of one address have a budget: a few lines, and a classmate from elsewhere is still logged', async () => {
  const { port, logs, relay: server } = await relay({ maxConnectionsPerAddress: 200, registrations: { burst: 200 } });
  for (let index = 0; index < 60; index++) {
    const churn = await courseFrom(port, '127.0.0.10', `Wegwerf ${index}`);
    churn.close();
  }
  await eventually(
    () => server.online.length === 0,
    () => server.online.join(', '),
  );
  const classmate = await courseFrom(port, '127.0.0.11', 'Mitschuelerin');
  await eventually(
    () => logs.some((line) => /join\s+Mitschuelerin/.test(line)),
    () => logs.join('\n'),
  );
  const churnLines = logs.filter((line) => /(join|leave|closed)\s+Wegwerf/.test(line));
  assert.equal(churnLines.length, 40, churnLines.join('\n'));
  classmate.close();
});

test('left-out join and leave lines are summed up in one line per window, with how many addresses they came from', () => {
  const lines: string[] = [];
  let now = 0;
  const log = new RelayLog(
    (line) => lines.push(line),
    () => new Date(now),
    { perAddress: 2, total: 3, connections: 1000, windowMs: 1000 },
    () => now,
  );
  for (let index = 0; index < 5; index++) log.comings.write('10.0.0.1', 'join', `a${index}`);
  log.comings.write('10.0.0.2', 'join', 'b0');
  log.comings.write('10.0.0.3', 'join', 'c0');
  assert.deepEqual(
    lines.map((line) => line.split(/\s+/).slice(2).join(' ')),
    ['join a0', 'join a1', 'join b0'],
  );
  now = 1000;
  log.comings.summarize();
  assert.match(
    lines.at(-1)!,
    /muted\s+joins — 4 more join, leave or close line\(s\) from 2 address\(es\) were left out$/,
  );
  log.comings.write('10.0.0.1', 'join', 'a9');
  assert.match(lines.at(-1)!, /join\s+a9$/);
});

test("asking who is online spends its own allowance, not the messages' rate", async () => {
  const { port } = await relay({ rate: { perMinute: 60, burst: 5 } });
  await FramedPeer.connect(port, 'Bob');
  const alice = await FramedPeer.connect(port, 'Alice');
  for (let index = 0; index < 25; index++) alice.send({ type: 'who', id: `w${index}` });
  const pages = await eventually(
    () => {
      const answered = alice.frames.filter((frame) => frame.type === 'online').length;
      const refused = alice.frames.filter((frame) => frame.type === 'ack' && frame.reason === 'rate-limited').length;
      return answered + refused === 25 ? { answered, refused } : undefined;
    },
    () => JSON.stringify(alice.frames.slice(-3)),
  );
  assert.deepEqual(pages, { answered: 20, refused: 5 });
  for (let index = 0; index < 5; index++) alice.send({ type: 'send', id: `m${index}`, to: 'Bob', text: 'hallo' });
  for (let index = 0; index < 5; index++)
    assert.equal((await alice.next('ack', (ack) => ack.id === `m${index}`)).status, 'delivered');
});

test('the lines of all registered connections together have a budget: many connections each within theirs write a bounded number', () => {
  const lines: string[] = [];
  let now = 0;
  const log = new RelayLog(
    (line) => lines.push(line),
    () => new Date(now),
    { perAddress: 40, total: 200, connections: 50, windowMs: 1000 },
    () => now,
  );
  const limit = { lines: 10, windowMs: 1000 };
  for (let index = 0; index < 100; index++) {
    const connection = log.forConnection(limit, () => now);
    for (let line = 0; line < 5; line++) connection.write('error', `c${index}`, 'bad frame');
  }
  assert.equal(lines.length, 50);
  now = 1000;
  log.connections.summarize();
  assert.equal(lines.length, 51);
  assert.match(lines.at(-1)!, /muted\s+connections — 450 more line\(s\) of registered connections were left out$/);
});
