/** Times in the chat panel in real headless Chromium: VS Code's display language from the host's init. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EVERYONE, type ChatItem, type HostToPanel } from '../../src/protocol/panel';
import { clockTime } from '../../src/protocol/lineTime';
import { fromHost, panelBrowserForThisFile } from '../helpers/browser/browser';
import { closeChatPanel, englishStrings as strings, openChatPanel, snapshotOf } from '../helpers/browser/panelFixture';

const chromium = panelBrowserForThisFile();

/** 13:09 local time in the browser, which runs in this process's time zone. */
const at = new Date(2026, 10, 25, 13, 9).toISOString();
const item: ChatItem = {
  id: 'b1',
  conversation: 'bob',
  direction: 'in',
  from: 'Bob',
  at,
  content: { kind: 'text', text: 'Hallo!' },
};
const conversations = [
  { id: EVERYONE, label: strings.everyone, online: true, unread: 0 },
  { id: 'bob', label: 'Bob', online: true, unread: 0 },
];

test("the chat writes times in VS Code's display language, the same as the roster's formatter: 01:09 PM in English, 13:09 in German", async () => {
  for (const [locale, time] of [
    ['en', '01:09 PM'],
    ['de', '13:09'],
    ['de-CH', '13:09'],
  ] as const) {
    const page = await openChatPanel(chromium.browser, chromium.server, {
      snapshot: { ...snapshotOf(conversations, [item]), standing: { hand: { at } } },
      select: 'bob',
      locale,
    });
    assert.equal(await page.textContent('[data-id="b1"] time'), time, locale);
    assert.equal(await page.textContent('[data-id="b1"] time'), clockTime(at, locale));
    assert.match((await page.textContent('.standing')) ?? '', new RegExp(time), `${locale}: the raised hand`);
    await closeChatPanel(page);
  }
});

test('a new init in another language writes the times again in it', async () => {
  const page = await openChatPanel(chromium.browser, chromium.server, {
    snapshot: snapshotOf(conversations, [item]),
    select: 'bob',
    locale: 'en',
  });
  assert.equal(await page.textContent('[data-id="b1"] time'), '01:09 PM');
  await fromHost(page, {
    type: 'init',
    strings,
    snapshot: snapshotOf(conversations, [item]),
    locale: 'de',
  } satisfies HostToPanel);
  await page.waitForFunction(() => document.querySelector('[data-id="b1"] time')?.textContent === '13:09');
  await closeChatPanel(page);
});
