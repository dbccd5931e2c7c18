/**
 * How the build splits the extension (esbuild.mjs, which leaves what each bundle holds in out/bundles): activation
 * loads only what the status bar, the views and the commands need, the rest waits in the parts loaded on first use,
 * and a module the bundles share keeps no state that two copies could disagree on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths';

interface Output {
  bytes: number;
  entryPoint?: string;
  inputs: Record<string, { bytesInOutput: number }>;
  imports: Array<{ path: string; external?: boolean }>;
}

interface Bundle {
  /** The source files it holds, relative to the repository (packages as node_modules/NAME/...). */
  sources: string[];
  /** What it requires from beside itself. */
  requires: string[];
}

const BUNDLES = ['extension', 'parts', 'hostedRelay'] as const;

function bundle(name: (typeof BUNDLES)[number]): Bundle {
  const file = join(ROOT, 'out', 'bundles', `${name}.json`);
  if (!existsSync(file)) throw new Error(`${file} is missing: build with "node esbuild.mjs"`);
  const { outputs } = JSON.parse(readFileSync(file, 'utf8')) as { outputs: Record<string, Output> };
  const output = Object.values(outputs).find((candidate) => candidate.entryPoint !== undefined);
  if (!output) throw new Error(`${file} names no bundle`);
  return {
    sources: Object.keys(output.inputs).map((path) => path.replace(/^.*node_modules\//, 'node_modules/')),
    requires: output.imports
      .filter((imported) => imported.external && imported.path.startsWith('./'))
      .map((i) => i.path),
  };
}

const RELAY_OR_TABLE = /^src\/server\/|^node_modules\/(sql\.js|unhomoglyph)\//;

test('activating the extension loads no relay, no SQLite and no confusables table, only what requires the parts', () => {
  const activation = bundle('extension');
  assert.deepEqual(
    activation.sources.filter((source) => RELAY_OR_TABLE.test(source) || source.includes('relayParts')),
    [],
  );
  assert.deepEqual(activation.requires.sort(), ['./confusables.json', './parts.js']);
});

test('the parts load the hosted relay and the confusables table when first needed, and hold neither', () => {
  const parts = bundle('parts');
  // The one piece of the relay the parts hold: how a teacher key is made for a hosted classroom.
  assert.deepEqual(
    parts.sources.filter((source) => RELAY_OR_TABLE.test(source)),
    ['src/server/classroom/teacherKey.ts'],
  );
  assert.deepEqual(parts.requires.sort(), ['./confusables.json', './hostedRelay.js']);
  const hosted = bundle('hostedRelay');
  assert.ok(hosted.sources.includes('src/server/relayServer.ts'));
  assert.ok(hosted.sources.some((source) => source.startsWith('node_modules/sql.js/')));
  assert.deepEqual(hosted.requires, ['./confusables.json']);
  // The hosted relay is never one node of several: nothing of NATS, nor a require of it.
  assert.ok(!hosted.sources.some((source) => source.includes('@nats-io') || source.includes('src/server/cluster/')));
});

/** A top-level variable, or a top-level collection that is filled as the code runs. */
const MODULE_STATE = /^(export )?(let|var) |^(export )?const \w+(: [^=]+)? = new (Map|Set|WeakMap|WeakSet)\b/m;

test('the bundles share no module with state of its own but caches of constant data and the display language', () => {
  const sources = BUNDLES.map((name) => new Set(bundle(name).sources));
  const shared = new Set<string>();
  for (const [index, some] of sources.entries())
    for (const other of sources.slice(index + 1)) for (const source of some) if (other.has(source)) shared.add(source);
  const withState = [...shared]
    .filter((source) => source.startsWith('src/') && MODULE_STATE.test(readFileSync(join(ROOT, source), 'utf8')))
    .sort();
  // Each bundle keeps its own copy of these. The three name modules cache what their constant tables give (the
  // confusables table itself is one object: require caches it); activation and the parts each set lineTime's
  // display language (vscode/activation.ts, vscode/partsInVsCode.ts).
  assert.deepEqual(withState, [
    'src/protocol/lineTime.ts',
    'src/protocol/nameSkeleton.ts',
    'src/protocol/reservedNames.ts',
    'src/protocol/scripts.ts',
  ]);
  // What the check looks for, in a module kept in one bundle only: the listeners' error reporters of the events.
  assert.ok(MODULE_STATE.test(readFileSync(join(ROOT, 'src', 'client', 'events.ts'), 'utf8')));
  assert.ok(!shared.has('src/client/events.ts'));
});
