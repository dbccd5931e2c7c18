import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Machine } from '../../bench/sideBySide/machine';
import { makePlan } from '../../bench/sideBySide/plan';
import { markdownReport, otherResults } from '../../bench/sideBySide/report';

const machine: Machine = {
  cpu: 'Test CPU',
  cores: 2,
  memory: '24 GiB',
  kernel: 'Linux 6.1',
  node: 'v20.0.0',
  python: 'Python 3.11.7',
  ngircd: '26.1',
  pinning: 'server on core 0, generator on core 1 (taskset)',
};

test("other suites' result files become sections after the side-by-side tables, in name order", () => {
  const dir = mkdtempSync(join(tmpdir(), 'results-'));
  try {
    writeFileSync(
      join(dir, 'extension.json'),
      JSON.stringify({ title: 'Extension cost', columns: ['what', 'ms'], rows: [['activation', '41']], notes: ['n1'] }),
    );
    writeFileSync(join(dir, 'broken.json'), '{ "title": 3 }');
    writeFileSync(join(dir, 'ignored.txt'), 'not a result');
    const others = otherResults(dir);
    assert.deepEqual(
      others.map((other) => other.file),
      ['broken.json', 'extension.json'],
    );
    const plan = makePlan({ BENCH_WORKLOADS: 'closed' }, '/repo');
    const markdown = markdownReport({ plan, runs: [], machine, command: 'npm run bench', others, passed: true });
    assert.match(markdown, /- CPU: Test CPU, 2 cores; memory 24 GiB; Linux 6.1/);
    assert.match(markdown, /- Node v20.0.0; Python 3.11.7; ngircd 26.1/);
    assert.match(
      markdown,
      /## Extension cost\n\nFrom `out\/bench\/results\/extension.json`.\n\n\| what \| ms \|\n\|---\|---:\|\n\| activation \| 41 \|\n\n- n1/,
    );
    assert.match(markdown, /## broken.json[\s\S]*unreadable: not \{ title, columns, rows \}/);
    assert.ok(markdown.indexOf('## Side by side') < markdown.indexOf('## Method'));
    assert.ok(markdown.indexOf('## Method') < markdown.indexOf('## Extension cost'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no results folder means no other sections', () => {
  assert.deepEqual(otherResults('/nonexistent/results'), []);
});
