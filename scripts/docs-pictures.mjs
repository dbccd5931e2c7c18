// Takes the README's pictures again: the end-to-end scenarios of the teacher and of the chat
// view save them under test-results/screenshots/; this copies them into docs/. Run through
// `npm run docs:pictures`, which builds the extension and the tests first.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const shots = join(root, 'test-results', 'screenshots');
const pictures = ['teacher-roster.png', 'pinned-hint.png', 'chat-view.png'];
const started = Date.now();

const run = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-name-pattern',
    'teacher hosts|view beside the code',
    join(root, 'out', 'test', 'e2e', 'relay.e2e.test.js'),
  ],
  { stdio: 'inherit', cwd: root },
);
if (run.status !== 0) {
  console.error('docs:pictures: the scenarios failed; docs/ is unchanged.');
  process.exit(1);
}
const fresh = pictures.filter(
  (picture) => existsSync(join(shots, picture)) && statSync(join(shots, picture)).mtimeMs >= started,
);
if (fresh.length !== pictures.length) {
  console.error(
    `docs:pictures: the scenarios did not take ${pictures.filter((picture) => !fresh.includes(picture)).join(', ')}; docs/ is unchanged.`,
  );
  process.exit(1);
}
for (const picture of pictures) copyFileSync(join(shots, picture), join(root, 'docs', picture));
console.log(`docs:pictures: ${pictures.join(', ')} copied to docs/.`);
