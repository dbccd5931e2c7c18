// Bundles every entry point of the package; `--tests` and `--bench` bundle those suites too.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

/**
 * The extension loads at activation only what the status bar, the views and the commands need (dist/extension.js);
 * the rest is required from beside it on first use: the parts (dist/parts.js: a command, or the chat shown), the
 * hosted relay with its SQLite engine (dist/hostedRelay.js: Host Classroom) and the confusables table names are
 * compared by (dist/confusables.json, written below). Each entry is the module that loads it and the file it loads.
 */
const LAZY = [
  { from: 'src/extension/vscode/activation.ts', request: './partsInVsCode', file: './parts.js' },
  { from: 'src/extension/hosting/hosting.ts', request: './hostedRelay', file: './hostedRelay.js' },
  { from: 'src/protocol/nameSkeleton.ts', request: 'unhomoglyph/data.json', file: './confusables.json' },
  // A relay joined to other nodes (serve --nats) loads the NATS client; a relay alone never does.
  { from: 'src/server/relayNodes.ts', request: './cluster/natsLink', file: './cluster.js' },
];
const lazyParts = {
  name: 'lazy-parts',
  setup(build) {
    const requests = LAZY.map(({ request }) => request.replace(/[./]/g, '\\$&')).join('|');
    build.onResolve({ filter: new RegExp(`^(${requests})$`) }, (args) => {
      const part = LAZY.find(({ from, request }) => request === args.path && args.importer.endsWith(join(from)));
      return part ? { path: part.file, external: true } : undefined;
    });
  },
};
// The relay hosted in VS Code is never one node of several: the extension has nothing of NATS, nor a require of it.
const noCluster = {
  name: 'no-cluster',
  setup(build) {
    build.onResolve({ filter: /^\.\/cluster\/natsLink$/ }, () => ({ path: 'natsLink', namespace: 'no-cluster' }));
    build.onLoad({ filter: /.*/, namespace: 'no-cluster' }, () => ({
      contents:
        "export async function joinCluster() { throw new Error('relay nodes are joined by classroom-relay serve --nats'); }",
      loader: 'js',
    }));
  },
};
const extensionPart = {
  ...nodeCommon,
  outdir: 'dist',
  external: ['vscode'],
  plugins: [noCluster, lazyParts],
  metafile: true,
  // import() of a part beside the bundle becomes a require, which VS Code's extension host resolves as the bundle's.
  supported: { 'dynamic-import': false },
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  { ...extensionPart, entryPoints: { extension: 'src/extension/extension.ts' } },
  { ...extensionPart, entryPoints: { parts: 'src/extension/vscode/partsInVsCode.ts' } },
  { ...extensionPart, entryPoints: { hostedRelay: 'src/extension/hosting/hostedRelay.ts' } },
  {
    ...nodeCommon,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [lazyParts],
    supported: { 'dynamic-import': false },
  },
  {
    ...nodeCommon,
    entryPoints: { lib: 'src/lib.ts' },
    outdir: 'dist',
    plugins: [lazyParts],
    supported: { 'dynamic-import': false },
  },
  { ...nodeCommon, entryPoints: { cluster: 'src/server/cluster/natsLink.ts' }, outdir: 'dist' },
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
// Put in place whole (a copy, then a rename), and only when it changed: a relay started by a test
// while another build runs must never read half a file.
placeWhole(join('node_modules', 'sql.js', 'dist', 'sql-wasm.wasm'), join('dist', 'sql-wasm.wasm'));
// The confusables table beside the extension's bundles, written compactly (src/protocol/nameSkeleton.ts).
const confusables = JSON.parse(readFileSync(join('node_modules', 'unhomoglyph', 'data.json'), 'utf8'));
writeFileSync(join('dist', 'confusables.json'), JSON.stringify(confusables));

if (watch) {
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('esbuild: watching for changes');
} else {
  const results = await Promise.all(builds.map((options) => esbuild.build(options)));
  // What each of the extension's bundles holds (out/bundles/NAME.json): test/package checks that activation loads
  // none of the parts, and `npm run bench` reports their sizes.
  mkdirSync(join('out', 'bundles'), { recursive: true });
  builds.forEach(({ metafile, entryPoints }, index) => {
    const file = join('out', 'bundles', `${Object.keys(entryPoints)[0]}.json`);
    if (metafile) writeFileSync(file, JSON.stringify(results[index].metafile));
  });
}

function placeWhole(from, to) {
  const bytes = readFileSync(from);
  if (existsSync(to) && readFileSync(to).equals(bytes)) return;
  const temporary = `${to}.${process.pid}.tmp`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, to);
}
