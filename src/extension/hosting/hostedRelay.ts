/**
 * The relay a hosted classroom runs inside the extension host, with the SQLite engine (sql.js)
 * that keeps its lesson: built apart as dist/hostedRelay.js (esbuild.mjs) and loaded by the first
 * Host Classroom (hosting.ts), so that activating the extension loads no relay.
 */
export { RelayServer } from '../../server';
