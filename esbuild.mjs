// Bundles every entry point of the package; `--tests` and `--bench` bundle those suites too.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  // The version lives in package.json only; see src/version.d.ts.
  define: { __VERSION__: JSON.stringify(version) },
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  target: 'es2022',
};

const nodeCommon = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

/** @type {esbuild.BuildOptions[]} */
const builds = [
  { ...nodeCommon, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', external: ['vscode'] },
  { ...nodeCommon, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...nodeCommon, entryPoints: { lib: 'src/lib.ts' }, outdir: 'dist' },
  { ...common, platform: 'browser', format: 'iife', entryPoints: { webview: 'src/webview/main.ts' }, outdir: 'dist' },
];

function filesEndingWith(dir, suffix) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

if (args.has('--tests')) {
  builds.push({
    ...nodeCommon,
    entryPoints: filesEndingWith('test', '.test.ts'),
    outdir: 'out/test',
    outbase: 'test',
    external: ['vscode', 'playwright-core'],
  });
}
if (args.has('--bench')) {
  builds.push({
    ...nodeCommon,
    // `.proc.ts`: the processes a suite starts (load generators, the side-by-side floor).
    entryPoints: [...filesEndingWith('bench', '.bench.ts'), ...filesEndingWith('bench', '.proc.ts')],
    outdir: 'out/bench',
    outbase: 'bench',
  });
}

// SQLite's WebAssembly (sql.js) goes beside the bundles that keep a relay's lesson (src/server/state/sqlJs.ts).
mkdirSync('dist', { recursive: true });
copyFileSync(join('node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'), join('dist', 'sql-wasm.wasm'));

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('esbuild: watching for changes');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
