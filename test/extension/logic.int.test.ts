/** The packaged extension: what `vsce` puts into the .vsix. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { run } from '../helpers/process/processes';
import { ROOT } from '../helpers/paths';

test('the .vsix holds only what the extension needs: its bundles, the parts it loads on first use (the chat and the classroom, the hosted relay, the confusables table), the SQLite engine the hosted relay keeps its lesson with, the docs it links, its strings', async () => {
  const listed = await run(process.execPath, [
    join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'),
    'ls',
    '--no-dependencies',
  ]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(listed.stdout.trim().split('\n').sort(), [
    'LICENSE',
    'README.md',
    'dist/confusables.json',
    'dist/extension.js',
    'dist/hostedRelay.js',
    'dist/parts.js',
    'dist/sql-wasm.wasm',
    'dist/webview.js',
    'docs/chat-view.png',
    'docs/pinned-hint.png',
    'docs/protocol.md',
    'docs/reliability.md',
    'docs/teacher-roster.png',
    'l10n/bundle.l10n.de.json',
    'media/chat.css',
    'media/icon.png',
    'package.json',
    'package.nls.de.json',
    'package.nls.json',
  ]);
});
