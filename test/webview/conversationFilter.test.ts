/** Which conversations the chat's list shows for a filter (src/webview/conversationFilter.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVERYONE, type ConversationView } from '../../src/protocol/panel';
import { filterConversations, foldForFilter, totalUnread } from '../../src/webview/conversationFilter';

const conversation = (label: string, unread = 0): ConversationView => ({
  id: label === 'Everyone' ? EVERYONE : label.toLowerCase(),
  label,
  online: true,
  unread,
});
const list = [
  conversation('Everyone'),
  conversation('Zoë Müller', 2),
  conversation('Ahmad Min'),
  conversation('Émile Roux', 1),
  conversation('Noémie Dubois'),
];
const labels = (shown: ConversationView[]) => shown.map((entry) => entry.label);

test('a name is matched anywhere in it, whatever its case and accents, and the order is kept', () => {
  assert.deepEqual(labels(filterConversations(list, { query: 'MUL', unreadOnly: false }, EVERYONE)), ['Zoë Müller']);
  assert.deepEqual(labels(filterConversations(list, { query: 'emi', unreadOnly: false }, EVERYONE)), [
    'Émile Roux',
    'Noémie Dubois',
  ]);
  assert.deepEqual(labels(filterConversations(list, { query: '  ', unreadOnly: false }, EVERYONE)), labels(list));
  assert.deepEqual(labels(filterConversations(list, { query: 'zoe  muller', unreadOnly: false }, EVERYONE)), [
    'Zoë Müller',
  ]);
  assert.equal(foldForFilter('Zoë  MÜLLER '), 'zoe muller');
});

test('unread only keeps conversations with unread messages, and the one in view though it has none', () => {
  assert.deepEqual(labels(filterConversations(list, { query: '', unreadOnly: true }, EVERYONE)), [
    'Everyone',
    'Zoë Müller',
    'Émile Roux',
  ]);
  assert.deepEqual(labels(filterConversations(list, { query: '', unreadOnly: true }, 'ahmad min')), [
    'Zoë Müller',
    'Ahmad Min',
    'Émile Roux',
  ]);
  assert.deepEqual(labels(filterConversations(list, { query: 'roux', unreadOnly: true }, 'ahmad min')), ['Émile Roux']);
  assert.equal(totalUnread(list), 3);
});
