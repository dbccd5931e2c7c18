/** The version lives in package.json only: the CLI (a real process) prints the one written there. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/process/processes';
import { ROOT } from '../helpers/paths';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

test('classroom-relay --version prints the version of package.json', async () => {
  const result = await runCli(['--version']);
  assert.deepEqual([result.code, result.stdout], [0, `${version}\n`]);
});
