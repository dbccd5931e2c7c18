/**
 * Who has the keyboard when the host shows a conversation in the chat: the composer when the
 * person asked for the chat, nobody in the chat when the person stays in the editor (Send
 * Selection). The real bundle, stylesheet and CSP in headless Chromium.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { panelStrings } from '../../../src/extension/chat/panel/panelStrings';
import { EVERYONE, format, type ChatSnapshot, type HostToPanel } from '../../../src/protocol/panel';
import { fromHost, openPanel, panelBrowserForThisFile } from '../../helpers/browser/browser';

const english = (message: string, ...args: Array<string | number | boolean>) => format(message, ...args.map(String));

const chromium = panelBrowserForThisFile();

const snapshot: ChatSnapshot = {
  connection: {
    kind: 'connected',
    name: 'Alice',
    server: '127.0.0.1:12345',
    dialect: 'Classroom Relay',
    role: 'student',
  },
  conversations: [
    { id: EVERYONE, label: 'Everyone / hints', online: true, unread: 0 },
    { id: 'bob', label: 'Bob', online: true, unread: 0 },
  ],
  items: [],
  maxTextBytes: 1000,
};

async function chat(): Promise<{ page: Page; errors: string[] }> {
  const page = await openPanel(chromium.browser, chromium.server.url('light'));
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { page, errors };
}

const send = (page: Page, message: HostToPanel) => fromHost(page, message);
const focused = (page: Page) => page.evaluate(() => document.activeElement?.tagName ?? '');

test('told to show a conversation with keyboard false, the chat shows it and leaves the keyboard alone, before and after it has its data; told without, the composer takes it', async () => {
  const { page, errors } = await chat();
  await send(page, { type: 'focus', conversation: 'bob', keyboard: false });
  await send(page, { type: 'init', strings: panelStrings(english), snapshot });
  await page.waitForSelector('.conversation.current[data-conversation="bob"]');
  assert.equal(await focused(page), 'BODY', 'a focus before init, without the keyboard');

  await send(page, { type: 'focus', conversation: EVERYONE, keyboard: false });
  await page.waitForSelector(`.conversation.current[data-conversation="${EVERYONE}"]`);
  assert.equal(await focused(page), 'BODY', 'a focus after init, without the keyboard');

  await send(page, { type: 'focus', conversation: 'bob' });
  await page.waitForSelector('.conversation.current[data-conversation="bob"]');
  assert.equal(await focused(page), 'TEXTAREA', 'asked for: the composer has the keyboard');
  assert.deepEqual(errors, []);
  await page.close();
});
