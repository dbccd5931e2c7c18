/**
 * The packaged extension loads parts from beside its bundle on first use (esbuild.mjs): each file a bundle requires
 * that way must be in the .vsix, or the chat, Host Classroom or the name checks would fail only once installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { run } from '../helpers/process/processes';
import { ROOT } from '../helpers/paths';

/** The files `file` requires from its own folder, as the bundle is written (minified or not). */
function requiredBeside(file: string): string[] {
  if (!file.endsWith('.js')) return [];
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/\brequire\(["']\.\/([^"']+)["']\)/g)].map((match) =>
    posix.join(posix.dirname(file), match[1]!),
  );
}

test('the .vsix holds every file the extension requires from beside its bundles, from the main bundle on', async () => {
  const listed = await run(process.execPath, [
    join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'),
    'ls',
    '--no-dependencies',
  ]);
  assert.equal(listed.code, 0, listed.stderr);
  const packaged = new Set(listed.stdout.trim().split('\n'));
  const { main } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
  const reached = new Set([posix.normalize(main)]);
  for (const file of reached) for (const required of requiredBeside(file)) reached.add(required);
  assert.deepEqual([...reached].sort(), [
    'dist/confusables.json',
    'dist/extension.js',
    'dist/hostedRelay.js',
    'dist/parts.js',
  ]);
  assert.deepEqual(
    [...reached].filter((file) => !packaged.has(file)),
    [],
  );
});
