/** `classroom-relay serve`: runs the relay from the command line, with its flags and its startup lines. */
import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { RelayServer } from '../server';
import { RELAY_DEFAULTS } from '../server/policy/defaults';
import { fromFlagUnits, inFlagUnits } from '../server/policy/defaultsRead';
import { loadTlsIdentity, type TlsListenerOptions } from '../server/connections/listeners';
import { DEFAULT_PORT, DEFAULT_TLS_PORT } from '../protocol/limits';
import { parse, UsageError } from './common';
import { flagHelp, LIMIT_OPTIONS, LIMITS_HELP, policyOf } from './servePolicy';
import {
  checkTeacherKey,
  givenTeacherKey,
  MIN_TEACHER_KEY_LENGTH,
  TEACHER_KEY_ENV,
  type KeySource,
} from './teacherKey';
import { makeTeacherKey } from '../server/classroom/teacherKey';
import { ADMIN_KEY_ENV, classCreationOf, givenAdminKey, type AdminKeySource, type ClassCreation } from './adminKey';
import { defaultStateDir } from '../server/state/stateDir';
import { StateLocked } from '../server/state/stateLock';
import type { PolicyOverrides } from '../server/policy/policy';
import type { ClusterOptions } from '../server/cluster/natsLink';
import { ClusterJoinFailed } from '../server/routing/clusterLink';
import { CLUSTER_ENV_HELP, CLUSTER_HELP, CLUSTER_OPTIONS, clusterOf } from './serveCluster';

const HANDSHAKE = RELAY_DEFAULTS.tlsHandshakeTimeoutMs;

export const SERVE_HELP = `Usage: classroom-relay serve [--host HOST] [--port PORT] [--teacher-key KEY]
                            [--state DIR | --state none] [--new-teacher-key]
                            [--class-creation open|key|off] [--admin-key KEY]
                            [--tls-cert FILE --tls-key FILE [--tls-port PORT] [--no-plain]]
                            [--nats URL[,URL...] [--node NAME] [--nats-creds FILE] [--nats-ca FILE]]

Runs the relay: a drop-in for the course relay (the course's Python client and netcat work
unchanged) that also speaks the framed protocol of the Classroom Relay extension.

Options:
  --host HOST   address to listen on (default 0.0.0.0: all interfaces)
  --port PORT   port to listen on (default ${DEFAULT_PORT}, the course's port)
  --tls-cert FILE  a PEM certificate: adds a TLS listener beside the plain one;
                   prints the certificate's SHA-256 fingerprint for students to compare
  --tls-key FILE   the certificate's private key (PEM, without passphrase)
  --tls-port PORT  port of the TLS listener (default ${DEFAULT_TLS_PORT}); students connect
                   to tls://HOST:PORT
  --no-plain       TLS only: no plain listener (the course's client cannot connect then)
${flagHelp(HANDSHAKE, 'SECONDS', 19)}
  --teacher-key KEY
                the teacher key (at least ${MIN_TEACHER_KEY_LENGTH} characters): whoever connects
                with it is a teacher, who alone may send hints to everyone, sees the
                class roster, mutes and disconnects students. Without it (and without
                ${TEACHER_KEY_ENV}) the relay makes a key once, such as
                7kqm-x4rt-9bzc-hwn3, keeps it and uses it at every start, and prints
                it with the addresses, never in the log; a key given is never printed
                nor kept (the kept one comes back at the next start without it).
                Teachers pass it to "send", "chat" and "roster" with --teacher-key or
                ${TEACHER_KEY_ENV}.
  --new-teacher-key
                make a new teacher key (and keep it) instead of the kept one
  --state DIR   the folder where the lesson is kept across restarts: the teacher key
                the relay made, the hints for late joiners, raised hands, mutes and
                the roster's counts. By default a folder per port in the user's state
                folder (${defaultStateDir(DEFAULT_PORT)}); --state none
                keeps nothing (a new key at every start). One relay per folder.
  --class-creation open|key|off
                who may make classes beside the default class, each with its own
                code, teacher key, names, hints and roster: anyone (open; bounded per
                address and in all), holders of the admin key (key, the default with
                an admin key) or nobody (off, the default without one: one room)
  --admin-key KEY
                whoever presents it may make, list and end classes (at least
                ${MIN_TEACHER_KEY_LENGTH} characters; never printed)
${CLUSTER_HELP}
  -h, --help    show this help

Environment:
  ${TEACHER_KEY_ENV}   the teacher key, when --teacher-key is not given (it keeps the
                      key out of the process list other users of the machine can read)
  ${ADMIN_KEY_ENV}     the admin key, when --admin-key is not given
${CLUSTER_ENV_HELP}

${LIMITS_HELP}

Stops cleanly on Ctrl+C (SIGINT) or SIGTERM.`;

/**
 * The relay the flags ask for. `tlsPort` and `handshakeTimeoutMs` are what the flags set, and
 * are in `tls` when a certificate is given; `overrides` are what the limit flags change.
 */
export interface ServeRun {
  type: 'run';
  host: string;
  port: number;
  plain: boolean;
  tlsPort: number;
  handshakeTimeoutMs: number;
  tls: TlsListenerOptions | undefined;
  overrides: PolicyOverrides;
  teacherKey: { key: string; source: KeySource } | undefined;
  /** Where the lesson is kept; undefined: nothing is kept (--state none). */
  state: string | undefined;
  newTeacherKey: boolean;
  classCreation: ClassCreation;
  adminKey: { key: string; source: AdminKeySource } | undefined;
  /** The other relay nodes to join; undefined: a relay alone. */
  cluster: ClusterOptions | undefined;
}

/**
 * What `serve` does with its arguments: show its help, give up on a certificate it cannot use,
 * or run a relay with these options. A flag that is wrong is a usage error.
 */
export type ServeSetup = { type: 'help' } | { type: 'problem'; message: string } | ServeRun;

export function serveSetup(args: string[]): ServeSetup {
  const { values } = parse(args, {
    host: { type: 'string', default: '0.0.0.0' },
    port: { type: 'string', short: 'p', default: String(DEFAULT_PORT) },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'tls-port': { type: 'string', default: String(DEFAULT_TLS_PORT) },
    'no-plain': { type: 'boolean' },
    'tls-handshake-timeout': { type: 'string', default: String(inFlagUnits(HANDSHAKE)) },
    'teacher-key': { type: 'string' },
    state: { type: 'string' },
    'new-teacher-key': { type: 'boolean' },
    'class-creation': { type: 'string' },
    'admin-key': { type: 'string' },
    ...CLUSTER_OPTIONS,
    help: { type: 'boolean', short: 'h' },
    ...LIMIT_OPTIONS,
  });
  if (values.help) return { type: 'help' };
  const teacherKey = givenTeacherKey(values['teacher-key']);
  if (teacherKey) checkTeacherKey(teacherKey, true);
  const adminKey = givenAdminKey(values['admin-key']);
  const classCreation = classCreationOf(values['class-creation'], adminKey);
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535)
    throw new UsageError(`--port must be a number from 0 to 65535, not "${values.port}"`);
  const handshakeTimeoutMs = Math.round(fromFlagUnits(HANDSHAKE.flag, Number(values['tls-handshake-timeout'])));
  const tls = tlsOptionsOf(values, handshakeTimeoutMs);
  if (typeof tls === 'string') return { type: 'problem', message: tls };
  return {
    type: 'run',
    host: values.host,
    port,
    plain: !values['no-plain'],
    tlsPort: Number(values['tls-port']),
    handshakeTimeoutMs,
    tls,
    overrides: policyOf(values),
    teacherKey,
    state: stateOf(values.state, port),
    newTeacherKey: values['new-teacher-key'] ?? false,
    classCreation,
    adminKey,
    cluster: clusterOf(values, port),
  };
}

export async function serve(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const setup = serveSetup(args);
  if (setup.type === 'help') {
    out(SERVE_HELP);
    return 0;
  }
  if (setup.type === 'problem') {
    err(`classroom-relay: ${setup.message}`);
    return 1;
  }
  const { port, plain, tls, overrides, teacherKey: given, state } = setup;
  // With a state folder the relay uses the kept key, or makes one and keeps it.
  const relay = new RelayServer({
    ...overrides,
    host: setup.host,
    port,
    log: out,
    tls,
    plain,
    teacherKey: given ? given.key : state === undefined ? makeTeacherKey() : undefined,
    stateDir: state,
    newTeacherKey: setup.newTeacherKey,
    classCreation: setup.classCreation,
    adminKey: setup.adminKey?.key,
    cluster: setup.cluster,
  });
  let address;
  try {
    address = await relay.listen();
  } catch (error) {
    if (error instanceof StateLocked || error instanceof ClusterJoinFailed) {
      err(`classroom-relay: ${error.message}`);
      return 1;
    }
    if (state !== undefined && (error as { port?: number }).port === undefined) {
      err(`classroom-relay: cannot keep the lesson in ${state} (--state): ${(error as Error).message}`);
      return 1;
    }
    const code = (error as NodeJS.ErrnoException).code;
    const failed = (error as { port?: number }).port ?? port;
    const reason =
      code === 'EADDRINUSE'
        ? `port ${failed} is already in use (is another relay running?)`
        : code === 'EACCES'
          ? `no permission to listen on port ${failed}`
          : code === 'EADDRNOTAVAIL'
            ? `${setup.host} is not an address of this machine`
            : (error as Error).message;
    err(`classroom-relay: cannot listen on ${setup.host}:${failed}: ${reason}`);
    return 3;
  }
  // Listening from here on: a signal stops the relay cleanly, even while the addresses are printed.
  const stopped = new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void relay.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  if (address.plain) {
    out(`Classroom Relay is listening on port ${address.plain.port}. Students connect to:`);
    for (const [where, host] of studentAddresses(setup.host))
      out(`  ${host}:${address.plain.port}`.padEnd(28) + `(${where})`);
  }
  if (address.tls) {
    out(
      address.plain
        ? `With TLS, on port ${address.tls.port}:`
        : `Classroom Relay is listening with TLS only, on port ${address.tls.port}. Students connect to:`,
    );
    for (const [where, host] of studentAddresses(setup.host))
      out(`  tls://${host}:${address.tls.port}`.padEnd(34) + `(${where})`);
    out("The certificate's SHA-256 fingerprint, for students to compare with what their client shows:");
    out(`  ${address.tls.fingerprint}`);
  }
  // A key given is never kept: it stays where it came from.
  const kept = given ? 'hints, hands, mutes, counts; not the key given' : 'teacher key, hints, hands, mutes, counts';
  out(
    state === undefined
      ? 'Nothing is kept across a restart (--state none).'
      : `The lesson (${kept}) is kept in ${state}`,
  );
  // The only place the key is ever printed: once, among the startup lines, never in the log.
  if (given) out(`A teacher key is set (from ${given.source}): whoever connects with it is a teacher.`);
  else {
    out(
      'Teacher key, for teachers only: whoever connects with it is a teacher, who may send hints to everyone, ' +
        'see the roster and mute or disconnect students:',
    );
    out(`  ${relay.teacherKey ?? ''}`);
  }
  for (const line of classLines(setup)) out(line);
  out('Stop with Ctrl+C.');
  await stopped;
  return 0;
}

/** Who may make classes, as the startup lines say it; nothing when nobody may (the relay is one room). */
function classLines({ classCreation, adminKey }: ServeRun): string[] {
  const lines: string[] = [];
  if (adminKey)
    lines.push(`An admin key is set (from ${adminKey.source}): whoever presents it may make, list and end classes.`);
  if (classCreation === 'open') lines.push('Classes: anyone may make one (--class-creation open).');
  if (classCreation === 'key') lines.push('Classes: holders of the admin key make them (--class-creation key).');
  return lines;
}

/** The state folder `--state` names (`none`: undefined), by default the port's folder in the user's state folder. */
function stateOf(flag: string | undefined, port: number): string | undefined {
  if (flag === undefined) return defaultStateDir(port);
  if (flag === 'none') return undefined;
  if (flag.trim() === '') throw new UsageError('--state needs a folder, or "none" to keep nothing');
  return resolve(flag);
}

/** The TLS listener's options from the flags, or what is wrong with its certificate or key. */
function tlsOptionsOf(
  values: {
    port: string;
    'tls-cert'?: string;
    'tls-key'?: string;
    'tls-port': string;
    'no-plain'?: boolean;
    'tls-handshake-timeout'?: string;
  },
  handshakeTimeoutMs: number,
): TlsListenerOptions | undefined | string {
  const certFile = values['tls-cert'];
  const keyFile = values['tls-key'];
  if (certFile === undefined && keyFile === undefined) {
    if (values['no-plain'])
      throw new UsageError('--no-plain leaves only the TLS listener, which needs --tls-cert FILE and --tls-key FILE');
    return undefined;
  }
  if (certFile === undefined || keyFile === undefined)
    throw new UsageError('TLS needs both --tls-cert FILE and --tls-key FILE');
  const tlsPort = Number(values['tls-port']);
  if (!/^\d+$/.test(values['tls-port']) || tlsPort > 65535)
    throw new UsageError(`--tls-port must be a number from 0 to 65535, not "${values['tls-port']}"`);
  if (!values['no-plain'] && tlsPort !== 0 && String(tlsPort) === values.port)
    throw new UsageError(
      `--tls-port must differ from --port: the plain and the TLS listener each need a port of their own`,
    );
  const handshakeSeconds = Number(values['tls-handshake-timeout']);
  if (!(handshakeSeconds > 0))
    throw new UsageError(
      `--tls-handshake-timeout must be a positive number of seconds, not "${values['tls-handshake-timeout']}"`,
    );
  const cert = readPem(certFile, 'certificate');
  if (typeof cert === 'string') return cert;
  const key = readPem(keyFile, 'private key');
  if (typeof key === 'string') return key;
  const check = loadTlsIdentity(cert.pem, key.pem);
  if (!check.ok) return `TLS with the certificate ${certFile} and the key ${keyFile}: ${check.detail}`;
  return {
    cert: cert.pem,
    key: key.pem,
    port: tlsPort,
    handshakeTimeoutMs,
  };
}

function readPem(file: string, what: string): { pem: Buffer } | string {
  try {
    return { pem: readFileSync(file) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'there is no such file'
        : code === 'EACCES'
          ? 'no permission to read it'
          : code === 'EISDIR'
            ? 'it is a folder, not a file'
            : (error as Error).message;
    return `cannot read the TLS ${what} file ${file}: ${reason}`;
  }
}

function studentAddresses(bound: string): Array<[string, string]> {
  if (bound !== '0.0.0.0' && bound !== '::') return [['this address', bound]];
  const found: Array<[string, string]> = [];
  for (const [name, addresses] of Object.entries(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) found.push([name, address.address]);
    }
  }
  found.push(['this machine only', '127.0.0.1']);
  return found;
}
