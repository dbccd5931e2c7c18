/** Where the repository is, for tests that read its files: found from the test's own bundle. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository: the nearest folder above this bundle with our package.json. */
export const ROOT = findRoot(__dirname);

function findRoot(start: string): string {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'classroom-relay'
    )
      return dir;
  }
  throw new Error(`no classroom-relay package.json above ${start}`);
}
