/**
 * The teacher's questions inbox without VS Code or a relay: raised hands from rosters and direct
 * messages in one list, open ones first and oldest first, answered by a reply, a lowered hand or
 * the teacher's mark and kept answered, bounded; the rows and the group the tree view shows, and
 * the notification of hands that go up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Roster, RosterEntry } from '../../../src/protocol/classroom';
import { MAX_QUESTIONS, QuestionsInbox } from '../../../src/extension/classroom/questionsInbox';
import {
  ANSWERED_GROUP,
  inboxNodes,
  inboxSummary,
  QUESTION_SHOWN,
  QUESTION_TOLD,
} from '../../../src/extension/classroom/questionsTree';
import { handNoticeText, handNoticeWanted } from '../../../src/extension/classroom/handNotice';
import { english, german } from '../../helpers/extension/parts';

const NOW = new Date('2026-12-07T09:30:00.000Z');
const at = (minute: number, second = 0) =>
  `2026-12-07T09:${String(minute).padStart(2, '0')}:${String(second).padStart(2, '0')}.000Z`;

function student(name: string, hand?: { minute: number; question?: string }): RosterEntry {
  return {
    name,
    role: 'student',
    dialect: 'relay',
    address: '192.168.1.40:51000',
    since: at(0),
    sent: 0,
    received: 0,
    ...(hand ? { hand: { at: at(hand.minute), ...(hand.question ? { question: hand.question } : {}) } } : {}),
  };
}

const roster = (...entries: RosterEntry[]): Roster => ({ entries, total: entries.length });

test('hands and direct messages are one list: open questions first, the oldest open one first, answered ones after them', () => {
  const inbox = new QuestionsInbox();
  inbox.roster(roster(student('Anna', { minute: 5, question: 'Was ist ein Socket?' }), student('Ben')), NOW);
  inbox.message({ id: 'm1', from: 'Carla', text: 'Mein Port ist besetzt', at: at(3) });
  inbox.roster(
    roster(
      student('Anna', { minute: 5, question: 'Was ist ein Socket?' }),
      student('Ben', { minute: 7 }),
      student('Carla'),
    ),
    NOW,
  );
  inbox.message({ id: 'm2', from: 'Dario', text: 'Danke!', at: at(1) });
  inbox.mark('message/m2', NOW);
  assert.deepEqual(
    inbox.list().map((question) => [question.name, question.kind, question.text, question.answered?.how]),
    [
      ['Carla', 'message', 'Mein Port ist besetzt', undefined],
      ['Anna', 'hand', 'Was ist ein Socket?', undefined],
      ['Ben', 'hand', undefined, undefined],
      ['Dario', 'message', 'Danke!', 'marked'],
    ],
  );
  assert.equal(inbox.openCount, 3);
});

test('a reply to the student answers what that student asked before it, not what they ask after it', () => {
  const inbox = new QuestionsInbox();
  inbox.roster(roster(student('Anna', { minute: 5, question: 'Socket?' })), NOW);
  inbox.message({ id: 'm1', from: 'anna', text: 'Und noch etwas', at: at(6) });
  inbox.message({ id: 'm2', from: 'Ben', text: 'Hallo', at: at(6) });
  assert.equal(inbox.replied('ANNA', at(8)), true);
  inbox.message({ id: 'm3', from: 'Anna', text: 'Noch eine Frage', at: at(9) });
  assert.deepEqual(
    inbox.list().map((question) => [question.id, question.answered?.how]),
    [
      ['message/m2', undefined],
      ['message/m3', undefined],
      ['message/m1', 'replied'],
      ['hand/anna/2026-12-07T09:05:00.000Z', 'replied'],
    ],
  );
  // The hand is still up on the relay: the next roster does not open the answered question again.
  assert.deepEqual(inbox.roster(roster(student('Anna', { minute: 5, question: 'Socket?' })), NOW), []);
  assert.equal(inbox.find('hand/anna/2026-12-07T09:05:00.000Z')?.answered?.how, 'replied');
});

test('a hand the student lowers is answered; a hand the teacher lowers stays, answered by the teacher, whichever of the roster and the answer comes first', () => {
  const inbox = new QuestionsInbox();
  const up = roster(student('Anna', { minute: 5, question: 'Socket?' }), student('Ben', { minute: 6 }));
  assert.deepEqual(
    inbox.roster(up, NOW).map((question) => question.name),
    ['Anna', 'Ben'],
  );
  // Ben lowers his own hand; the teacher lowers Anna's, and the relay's roster comes before its answer.
  inbox.roster(roster(student('Anna'), student('Ben')), NOW);
  inbox.handLoweredByTeacher('Anna', NOW);
  const hows = Object.fromEntries(inbox.list().map((question) => [question.name, question.answered?.how]));
  assert.deepEqual(hows, { Anna: 'lowered-by-teacher', Ben: 'lowered' });
  assert.equal(inbox.size, 2, 'both questions are still there');
  // The same student raises the hand again: a new question.
  assert.deepEqual(
    inbox.roster(roster(student('Anna', { minute: 20, question: 'Noch was' }), student('Ben')), NOW).map((q) => q.text),
    ['Noch was'],
  );
  assert.equal(inbox.openCount, 1);
});

test('a roster that lists only part of a large class leaves the hands it does not list as they were; a complete one answers the hands of students who left', () => {
  const inbox = new QuestionsInbox();
  inbox.roster(roster(student('Anna', { minute: 5 }), student('Ben', { minute: 6 })), NOW);
  inbox.roster({ entries: [student('Anna', { minute: 5 })], total: 300 }, NOW);
  assert.equal(inbox.openCount, 2);
  inbox.roster(roster(student('Anna', { minute: 5 })), NOW);
  assert.deepEqual(
    inbox.list().map((question) => [question.name, question.answered?.how]),
    [
      ['Anna', undefined],
      ['Ben', 'lowered'],
    ],
  );
});

test('a teacher in the roster with a hand up is not a question; a direct message seen twice is one question', () => {
  const inbox = new QuestionsInbox();
  inbox.roster(roster({ ...student('Frau Keller', { minute: 1 }), role: 'teacher' }), NOW);
  assert.ok(inbox.message({ id: 'm1', from: 'Anna', text: 'Hallo', at: at(2) }));
  assert.equal(inbox.message({ id: 'm1', from: 'Anna', text: 'Hallo', at: at(2) }), undefined);
  assert.equal(inbox.size, 1);
});

test('the inbox is bounded: past its size the oldest answered questions go first, open ones are kept', () => {
  const inbox = new QuestionsInbox(10);
  for (let index = 0; index < 6; index++)
    inbox.message({ id: `a${index}`, from: `Student ${index}`, text: 'Frage', at: at(1, index) });
  for (let index = 0; index < 6; index++) inbox.mark(`message/a${index}`, new Date(NOW.getTime() + index * 1000));
  for (let index = 0; index < 8; index++)
    inbox.message({ id: `b${index}`, from: `Student ${index}`, text: 'Frage', at: at(2, index) });
  assert.equal(inbox.size, 10);
  assert.equal(inbox.openCount, 8);
  assert.deepEqual(
    inbox
      .list()
      .filter((question) => question.answered)
      .map((question) => question.id),
    ['message/a5', 'message/a4'],
    'the two most recently answered stay',
  );
  // Only open questions left to drop: the oldest open one goes.
  for (let index = 8; index < 11; index++)
    inbox.message({ id: `b${index}`, from: `Student ${index}`, text: 'Frage', at: at(3, index) });
  assert.equal(inbox.size, 10);
  assert.equal(inbox.list()[0]!.id, 'message/b1');
});

test('a student who writes again while their message question is open adds to it: one row with the latest text, how many messages and the first time; after a reply the next message is a new question', () => {
  const inbox = new QuestionsInbox();
  assert.ok(inbox.message({ id: 'm1', from: 'Anna', text: 'Erste Frage', at: at(5) }));
  inbox.message({ id: 'b1', from: 'Ben', text: 'Hallo', at: at(6) });
  const joined = inbox.message({ id: 'm2', from: 'anna', text: 'Noch etwas', at: at(7) });
  assert.equal(joined?.id, 'message/m1');
  inbox.message({ id: 'm3', from: 'Anna', text: 'Und die\nletzte Frage', at: at(8) });
  assert.equal(inbox.message({ id: 'm3', from: 'Anna', text: 'Und die\nletzte Frage', at: at(8) }), undefined);
  assert.equal(inbox.message({ id: 'm1', from: 'Anna', text: 'Erste Frage', at: at(5) }), undefined);
  assert.deepEqual(
    inbox.list().map((question) => [question.id, question.text, question.at, question.messages ?? 1]),
    [
      ['message/m1', 'Und die\nletzte Frage', at(5), 3],
      ['message/b1', 'Hallo', at(6), 1],
    ],
  );
  const [row] = inboxNodes(inbox.list(), NOW, english);
  assert.ok(row?.type === 'question');
  assert.equal(row.description, 'Und die letzte Frage (3 messages) · 09:05');
  assert.equal(row.accessibilityLabel, 'Anna, 3 messages since 09:05, the latest: Und die letzte Frage, open');
  const [germanRow] = inboxNodes(inbox.list(), NOW, german);
  assert.ok(germanRow?.type === 'question');
  assert.equal(germanRow.description, 'Und die letzte Frage (3 Nachrichten) · 09:05');
  assert.match(germanRow.tooltip, /^3 Nachrichten seit 09:05, die letzte: Und die letzte Frage$/m);

  inbox.replied('Anna', at(9));
  const next = inbox.message({ id: 'm4', from: 'Anna', text: 'Danke, und?', at: at(10) });
  assert.equal(next?.id, 'message/m4');
  assert.equal(next?.messages, undefined);
  assert.deepEqual(
    inbox.list().map((question) => [question.id, question.messages ?? 1, question.answered?.how]),
    [
      ['message/b1', 1, undefined],
      ['message/m4', 1, undefined],
      ['message/m1', 3, 'replied'],
    ],
  );
});

test('a muted student writing 120 messages a minute for ten minutes fills one row: the open hands and questions of a class of 300 all stay', () => {
  const inbox = new QuestionsInbox();
  const entries = Array.from({ length: 300 }, (_, index) =>
    student(`Schüler ${index}`, { minute: 1 + (index % 20), question: `Frage ${index}` }),
  );
  assert.equal(inbox.roster({ entries, total: 300 }, NOW).length, 300);
  for (let index = 0; index < 30; index++)
    inbox.message({ id: `q${index}`, from: `Schüler ${index}`, text: 'Eine Frage', at: at(25) });
  for (let index = 0; index < 1200; index++)
    inbox.message({
      id: `spam${index}`,
      from: 'Lärm',
      text: `Nachricht ${index}`,
      at: at(21 + Math.floor(index / 120), Math.floor((index % 120) / 2)),
    });
  assert.equal(inbox.size, 331);
  assert.equal(inbox.openCount, 331);
  const noisy = inbox.list().filter((question) => question.name === 'Lärm');
  assert.deepEqual(
    noisy.map((question) => [question.text, question.messages, question.at]),
    [['Nachricht 1199', 1200, at(21)]],
  );
  // The next roster finds every hand it knows: none is raised (and announced) again.
  assert.deepEqual(inbox.roster({ entries, total: 300 }, NOW), []);
});

test('past its size the inbox drops the oldest answered questions first, then the oldest open message questions; an open hand never goes to make room for a message, and a hand dropped for another hand is not raised again', () => {
  const inbox = new QuestionsInbox(6);
  inbox.roster(roster(student('Anna', { minute: 1 }), student('Ben', { minute: 2 })), NOW);
  inbox.message({ id: 'c', from: 'Carla', text: 'Frage', at: at(3) });
  inbox.message({ id: 'd', from: 'Dario', text: 'Frage', at: at(4) });
  inbox.message({ id: 'e', from: 'Elif', text: 'Frage', at: at(5) });
  inbox.message({ id: 'f', from: 'Fabio', text: 'Frage', at: at(6) });
  inbox.mark('message/f', NOW);
  inbox.message({ id: 'g', from: 'Gina', text: 'Frage', at: at(7) });
  const ids = () => inbox.list().map((question) => question.id);
  assert.deepEqual(ids(), [
    'hand/anna/2026-12-07T09:01:00.000Z',
    'hand/ben/2026-12-07T09:02:00.000Z',
    'message/c',
    'message/d',
    'message/e',
    'message/g',
  ]);
  inbox.message({ id: 'h', from: 'Hana', text: 'Frage', at: at(8) });
  inbox.message({ id: 'i', from: 'Ivo', text: 'Frage', at: at(9) });
  assert.deepEqual(ids().slice(2), ['message/e', 'message/g', 'message/h', 'message/i']);

  const hands = new QuestionsInbox(2);
  hands.roster(roster(student('Anna', { minute: 1 }), student('Ben', { minute: 2 })), NOW);
  assert.equal(hands.message({ id: 'c', from: 'Carla', text: 'Frage', at: at(3) }), undefined);
  assert.deepEqual(
    hands.list().map((question) => question.name),
    ['Anna', 'Ben'],
  );
  const three = roster(student('Anna', { minute: 1 }), student('Ben', { minute: 2 }), student('Carla', { minute: 3 }));
  assert.deepEqual(
    hands.roster(three, NOW).map((question) => question.name),
    ['Carla'],
  );
  assert.deepEqual(
    hands.list().map((question) => question.name),
    ['Ben', 'Carla'],
  );
  assert.deepEqual(hands.roster(three, NOW), []);
});

for (const students of [30, 300]) {
  test(`a class of ${students}: every hand and message is a question, the badge counts the open ones, and the rows show open ones first with the answered ones folded`, () => {
    const inbox = new QuestionsInbox();
    const names = Array.from({ length: students }, (_, index) => `Schüler ${String(index).padStart(3, '0')}`);
    const entries = names.map((name, index) =>
      student(name, index % 2 === 0 ? { minute: 10 + (index % 40), question: `Frage ${index}` } : undefined),
    );
    const raised = inbox.roster({ entries, total: students }, NOW);
    assert.equal(raised.length, students / 2);
    names.forEach((name, index) => {
      if (index % 2 === 1) inbox.message({ id: `m${index}`, from: name, text: `Nachricht ${index}`, at: at(5) });
    });
    for (const name of names.slice(0, 10)) inbox.replied(name, at(59));
    assert.equal(inbox.size, students);
    assert.equal(inbox.openCount, students - 10);
    const nodes = inboxNodes(inbox.list(), NOW, english);
    assert.equal(nodes.length, students - 10 + 1);
    const group = nodes.at(-1)!;
    assert.ok(group.type === 'group' && group.id === ANSWERED_GROUP && group.children.length === 10);
    assert.equal(group.label, 'Answered (10)');
    const open = nodes.slice(0, -1).map((node) => (node.type === 'question' ? node.id : ''));
    assert.equal(new Set(open).size, open.length, 'ids are unique');
    // Messages (asked at :05) before the hands (:10 on), oldest first.
    assert.ok(open[0]!.startsWith('message/'));
    assert.deepEqual(inboxSummary(inbox.list(), english), {
      open: students - 10,
      text: `${students - 10} open questions`,
    });
  });
}

test('a row says who asked what and when, and whether it is answered, as plain text with controls escaped; a screen reader hears the same', () => {
  const inbox = new QuestionsInbox();
  inbox.roster(roster(student('Anna\u202e', { minute: 5, question: 'Was ist [Open](command:x)\nein Socket?' })), NOW);
  inbox.message({ id: 'm1', from: 'Ben', text: 'Hallo', at: at(6) });
  inbox.replied('Ben', at(7));
  const [hand, group] = inboxNodes(inbox.list(), NOW, english);
  assert.ok(hand?.type === 'question');
  assert.equal(hand.label, 'Anna\\u{202E}');
  assert.equal(hand.description, 'Was ist [Open](command:x) ein Socket? · 09:05');
  assert.equal(hand.contextValue, 'question open hand');
  assert.equal(hand.icon, 'question');
  assert.match(hand.accessibilityLabel, /^Anna\\u\{202E\}, Hand up 09:05: Was ist .* ein Socket\?, open$/);
  assert.ok(group?.type === 'group');
  const answered = group.children[0]!;
  assert.equal(answered.contextValue, 'question answered message');
  assert.equal(answered.description, 'Hallo · 09:06 · answered: you replied');
  const [germanHand, germanGroup] = inboxNodes(inbox.list(), NOW, german);
  assert.ok(germanHand?.type === 'question' && germanGroup?.type === 'group');
  assert.match(germanHand.accessibilityLabel, /Hand oben 09:05: .*, offen$/);
  assert.equal(germanGroup.label, 'Beantwortet (1)');
  assert.match(germanGroup.children[0]!.description, /beantwortet: du hast geantwortet$/);
});

test('a question of 16 KiB costs the rows no more than a short one: only its start is put on one line and escaped, and the rows show that there is more', () => {
  const inbox = new QuestionsInbox();
  const long = `Warum\n\u0007kommt ${'nur ein Teil an, '.repeat(1000)}`;
  inbox.message({ id: 'm1', from: 'Anna', text: long, at: at(5) });
  inbox.roster(roster(student('Ben', { minute: 6, question: `Wo?${' \n'.repeat(8000)}` })), NOW);
  inbox.message({ id: 'm2', from: 'Carla', text: `Port${' '.repeat(3000)}80?`, at: at(7) });
  // Every rewrite of a text (folding its spaces, escaping its controls) goes through String#replace.
  const original = Object.getOwnPropertyDescriptor(String.prototype, 'replace')!;
  const replace = original.value as (this: string, ...args: unknown[]) => string;
  let longest = 0;
  Object.defineProperty(String.prototype, 'replace', {
    ...original,
    value(this: string, ...args: unknown[]): string {
      longest = Math.max(longest, this.length);
      return replace.apply(this, args);
    },
  });
  let nodes: ReturnType<typeof inboxNodes>;
  try {
    nodes = inboxNodes(inbox.list(), NOW, english);
  } finally {
    Object.defineProperty(String.prototype, 'replace', original);
  }
  assert.ok(longest <= 2 * QUESTION_TOLD + 2, `a text of ${longest} characters was rewritten`);
  const [anna, ben, carla] = nodes;
  assert.ok(anna?.type === 'question' && ben?.type === 'question' && carla?.type === 'question');
  const told = `Warum \\u{0007}kommt ${'nur ein Teil an, '.repeat(100)}`.slice(0, QUESTION_TOLD - 1);
  assert.equal(anna.accessibilityLabel, `Anna, Message 09:05: ${told}…, open`);
  assert.equal(anna.description, `${told.slice(0, QUESTION_SHOWN - 1)}… · 09:05`);
  assert.equal(ben.description, 'Wo? · 09:06', 'spaces at the end are not more');
  assert.equal(carla.description, 'Port… · 09:07', 'what is past the part looked at is more');
});

test('a raised hand is announced only with relay.notifications on all and the chat out of view; the text names the student and the question, or the hands together', () => {
  assert.equal(handNoticeWanted('all', false), true);
  assert.equal(handNoticeWanted('all', true), false);
  assert.equal(handNoticeWanted('hints', false), false);
  assert.equal(handNoticeWanted('off', false), false);
  const hand = (name: string, text?: string) => ({ id: name, kind: 'hand' as const, name, text, at: at(1) });
  assert.equal(
    handNoticeText([hand('Anna', 'Was ist ein Socket?')], english),
    'Anna raised their hand: Was ist ein Socket?',
  );
  assert.equal(handNoticeText([hand('Anna')], german), 'Anna hat die Hand gehoben.');
  const many = ['A', 'B', 'C', 'D', 'E', 'F', 'G'].map((name) => hand(name));
  assert.equal(handNoticeText(many, english), '7 hands went up: A, B, C, D, E and 2 more.');
  assert.equal(handNoticeText(many.slice(0, 2), german), '2 Hände sind oben: A, B.');
  assert.ok(MAX_QUESTIONS >= 300, 'a class of 300 fits');
});
