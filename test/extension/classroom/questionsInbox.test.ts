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
import { ANSWERED_GROUP, inboxNodes, inboxSummary } from '../../../src/extension/classroom/questionsTree';
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
