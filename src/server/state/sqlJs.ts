/**
 * SQLite as WebAssembly (sql.js), loaded on first use only: a relay that keeps nothing never
 * loads it. It needs no native module, so the same code runs in VS Code's extension host on
 * every platform; its WebAssembly file lies beside the bundle (dist/sql-wasm.wasm) or, for code
 * run from out/, in node_modules.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';

/** Resolved at run time, not bundled: a name, not a literal, keeps the bundler from taking it in. */
const IN_NODE_MODULES = 'sql.js/dist/sql-wasm.wasm';

let loading: Promise<SqlJsStatic> | undefined;

export function sqlJs(): Promise<SqlJsStatic> {
  loading ??= (async () => {
    const { default: init } = await import('sql.js');
    const wasm = readFileSync(wasmFile());
    return init({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) });
  })();
  loading.catch(() => (loading = undefined));
  return loading;
}

function wasmFile(): string {
  const beside = join(__dirname, 'sql-wasm.wasm');
  return existsSync(beside) ? beside : require.resolve(IN_NODE_MODULES);
}
