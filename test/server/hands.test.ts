/**
 * Raised hands in a crowded roster: every hand is listed or counted, no address pushes out
 * another's hands, and questions are shortened before a hand is left out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relaysForThisFile } from '../helpers/relay/cleanup';
import { FramedPeer } from '../helpers/relay/peers';
import { listRoster, CROWDED_QUESTION_CHARACTERS, type Listable } from '../../src/server/classroom/rosterListing';
import type { RosterEntry } from '../../src/protocol/classroom';
import { MAX_ROSTER_FRAME_BYTES, ROSTER_QUESTION_CHARACTERS } from '../../src/protocol/limits';
import { encodeFrame } from '../../src/protocol/frameCodec';

const relay = relaysForThisFile();
const KEY = 'kreide-tafel-schwamm-42';
// A question of the longest a roster shows, in characters of four UTF-8 bytes each.
const LONG_QUESTION = '𝄞'.repeat(ROSTER_QUESTION_CHARACTERS);
// Hands of such questions from one address (within its connections) that would fill a roster frame.
const FLOOD = 63;

test('a full frame of hands with long questions from one address does not hide a hand raised afterwards from another', async () => {
  const { port } = await relay({ teacherKey: KEY, rosterMs: 20 });
  const keller = await FramedPeer.connect(port, 'Frau Keller', { teacherKey: KEY });
  const flood: FramedPeer[] = [];
  for (let index = 0; index < FLOOD; index++) {
    const peer = await FramedPeer.connect(port, `Flut${index}`, { from: '127.0.0.2' });
    peer.send({ type: 'hand', id: 'h', up: true, question: LONG_QUESTION });
    flood.push(peer);
  }
  await keller.next('roster', (frame) => frame.entries.filter((entry) => entry.hand).length >= 55, 10_000);
  const mia = await FramedPeer.connect(port, 'Mia', { from: '127.0.0.3' });
  mia.send({ type: 'hand', id: 'h', up: true, question: 'Wie lese ich alle Bytes?' });
  const roster = await keller.next('roster', (frame) => frame.entries.some((entry) => entry.name === 'Mia'), 10_000);
  const miaEntry = roster.entries.find((entry) => entry.name === 'Mia')!;
  assert.equal(miaEntry.hand?.question, 'Wie lese ich alle Bytes?');
  const listedHands = roster.entries.filter((entry) => entry.hand).length;
  assert.equal(listedHands + (roster.handsLeftOut ?? 0), FLOOD + 1, 'every raised hand is listed or counted');
  assert.ok(encodeFrame(roster).length <= MAX_ROSTER_FRAME_BYTES);
  for (const peer of flood) peer.drop();
});

function student(name: string, address: string, at?: number, question?: string): Listable {
  const entry: RosterEntry = {
    name,
    role: 'student',
    dialect: 'relay',
    address: `${address}:40000`,
    since: '2026-12-07T08:00:00.000Z',
    sent: 0,
    received: 0,
  };
  if (at !== undefined) entry.hand = { at: new Date(Date.UTC(2026, 11, 7, 8, 0, at)).toISOString(), question };
  return { entry, address };
}

test('the roster lists every hand when questions shortened make room, and gives them back whole where they fit', () => {
  const hands = Array.from({ length: 80 }, (_, index) => student(`S${index}`, '10.0.0.1', index, LONG_QUESTION));
  const roster = listRoster(hands);
  assert.equal(roster.entries.length, 80);
  assert.equal(roster.handsLeftOut, undefined);
  const lengths = roster.entries.map((entry) => [...entry.hand!.question!].length);
  assert.ok(lengths.every((length) => length === CROWDED_QUESTION_CHARACTERS || length === ROSTER_QUESTION_CHARACTERS));
  assert.ok(lengths.includes(ROSTER_QUESTION_CHARACTERS), 'the room left gives some questions back whole');
  assert.deepEqual(
    roster.entries.map((entry) => entry.name),
    hands.map((hand) => hand.entry.name),
    'oldest hand first',
  );
});

test('when not every hand fits, the roster counts the ones it left out and each address takes its turn', () => {
  const room = { entries: 10, bytes: MAX_ROSTER_FRAME_BYTES };
  const many = Array.from({ length: 20 }, (_, index) => student(`Flut${index}`, '10.0.0.1', index));
  const late = [student('Mia', '10.0.0.2', 100), student('Noah', '10.0.0.3', 101)];
  const roster = listRoster([...many, ...late, student('Zoe', '10.0.0.4')], room);
  const names = roster.entries.map((entry) => entry.name);
  assert.ok(names.includes('Mia') && names.includes('Noah'), names.join(', '));
  assert.equal(roster.entries.length, 10);
  assert.equal(roster.handsLeftOut, 12, '22 hands, 10 listed, 12 left out');
  assert.equal(roster.total, 23);
});

test('students without a hand are also taken in turns by address, and shown by name', () => {
  const room = { entries: 4, bytes: MAX_ROSTER_FRAME_BYTES };
  const roster = listRoster(
    [
      student('Aa', '10.0.0.1'),
      student('Ab', '10.0.0.1'),
      student('Ac', '10.0.0.1'),
      student('Ad', '10.0.0.1'),
      student('Zoe', '10.0.0.2'),
    ],
    room,
  );
  assert.deepEqual(
    roster.entries.map((entry) => entry.name),
    ['Aa', 'Ab', 'Ac', 'Zoe'],
  );
  assert.equal(roster.handsLeftOut, undefined);
});
