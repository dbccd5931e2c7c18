/**
 * `serve`'s flags as the command line takes them: its arguments go through serveSetup, as in
 * `classroom-relay serve`, in process and without listening. Without flags the relay runs with
 * the defaults table's figures; each flag of the table sets its own figure, in the flag's
 * units, and nothing else; and `serve --help` states for each flag the default `serve` uses.
 */
import { test } from 'node:test';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { SERVE_HELP, serveSetup, type ServeRun } from '../../src/cli/serve';
import { TEACHER_KEY_ENV } from '../../src/cli/teacherKey';
import { ADMIN_KEY_ENV } from '../../src/cli/adminKey';
import { DEFAULT_PORT, DEFAULT_TLS_PORT } from '../../src/protocol/limits';
import { RELAY_DEFAULTS, type DefaultName, type ServeFlag } from '../../src/server/policy/defaults';
import { flaggedDefaults } from '../../src/server/policy/defaultsRead';
import { DEFAULT_POLICY, resolvePolicy } from '../../src/server/policy/policy';

// A key in the environment would be taken as given; these runs have none.
delete process.env[TEACHER_KEY_ENV];
delete process.env[ADMIN_KEY_ENV];

/** Where each flag of the defaults table lands in what `serve` runs, and the default it starts from. */
const LANDS_IN: Record<string, { path: string; from: DefaultName }> = {
  'max-connections': { path: 'policy.maxConnections', from: 'maxConnections' },
  'max-per-address': { path: 'policy.maxConnectionsPerAddress', from: 'maxConnectionsPerAddress' },
  rate: { path: 'policy.rate.perMinute', from: 'ratePerMinute' },
  'rate-burst': { path: 'policy.rate.burst', from: 'rateBurst' },
  'registrations-per-minute': { path: 'policy.registrations.perMinute', from: 'registrationsPerMinute' },
  'registration-burst': { path: 'policy.registrations.burst', from: 'registrationBurst' },
  'course-idle-minutes': { path: 'policy.courseIdleMs', from: 'courseIdleMs' },
  'keepalive-seconds': { path: 'policy.keepaliveMs', from: 'keepaliveMs' },
  'registration-seconds': { path: 'policy.registrationTimeoutMs', from: 'registrationTimeoutMs' },
  'max-unregistered': { path: 'policy.unregistered.total', from: 'maxUnregistered' },
  'max-unregistered-per-address': { path: 'policy.unregistered.perAddress', from: 'maxUnregisteredPerAddress' },
  'silent-seconds': { path: 'policy.unregistered.silentMs', from: 'silentMs' },
  'input-rate': { path: 'policy.input.perSecond', from: 'inputPerSecond' },
  'input-rate-per-address': { path: 'policy.input.addressPerSecond', from: 'inputPerAddress' },
  'max-output-mib': { path: 'policy.outputTotal.messageBytes', from: 'outputTotalBytes' },
  'tls-handshake-timeout': { path: 'handshakeTimeoutMs', from: 'tlsHandshakeTimeoutMs' },
  'max-classes': { path: 'policy.classes.max', from: 'maxClasses' },
  'max-classes-per-address': { path: 'policy.classes.perAddress', from: 'maxClassesPerAddress' },
  'class-idle-days': { path: 'policy.classes.idleMs', from: 'classIdleMs' },
  'max-per-class': { path: 'policy.maxConnectionsPerClass', from: 'maxConnectionsPerClass' },
};

/** What a flag's unit is in the relay's: a time is kept in ms. */
const MS_PER: Record<ServeFlag['takes'], number> = {
  count: 1,
  seconds: 1000,
  minutes: 60_000,
  days: 24 * 60 * 60_000,
  mebibytes: 1024 * 1024,
};

/** `serve` with these arguments, as the relay would run. */
function run(args: string[]): ServeRun {
  const setup = serveSetup(args);
  if (setup.type !== 'run') assert.fail(`serve ${args.join(' ')} does not run a relay: ${setup.type}`);
  return setup;
}

/** What a run sets, by path: where it listens, the TLS listener's figures and the policy the relay resolves. */
function figures(serve: ServeRun): Map<string, unknown> {
  const found = new Map<string, unknown>();
  const add = (prefix: string, value: unknown) => {
    if (typeof value === 'object' && value !== null)
      for (const [key, inner] of Object.entries(value)) add(prefix ? `${prefix}.${key}` : key, inner);
    else found.set(prefix, value);
  };
  const { host, port, plain, tlsPort, handshakeTimeoutMs, tls, teacherKey } = serve;
  add('', { host, port, plain, tlsPort, handshakeTimeoutMs, tls, teacherKey });
  add('policy', resolvePolicy(serve.overrides));
  return found;
}

test('serve without flags listens where the protocol says and runs the relay with the defaults table', () => {
  const serve = run([]);
  assert.deepEqual(resolvePolicy(serve.overrides), DEFAULT_POLICY);
  const got = figures(serve);
  assert.equal(got.get('host'), '0.0.0.0');
  assert.equal(got.get('port'), DEFAULT_PORT);
  assert.equal(got.get('tlsPort'), DEFAULT_TLS_PORT);
  assert.equal(got.get('plain'), true);
  assert.equal(got.get('tls'), undefined);
  assert.equal(got.get('teacherKey'), undefined);
  for (const [flag, { path, from }] of Object.entries(LANDS_IN))
    assert.equal(got.get(path), RELAY_DEFAULTS[from].value, `${path} without --${flag}`);
});

test('each flag of the defaults table sets its own figure, in its units, and nothing else', () => {
  const flagged = flaggedDefaults();
  assert.deepEqual(
    Object.entries(LANDS_IN)
      .map(([flag, { from }]) => `--${flag} ${from}`)
      .sort(),
    flagged.map(([name, entry]) => `--${entry.flag.name} ${name}`).sort(),
  );
  const before = figures(run([]));
  for (const [, entry] of flagged) {
    const { path } = LANDS_IN[entry.flag.name]!;
    const after = figures(run([`--${entry.flag.name}`, '7']));
    const changed = [...after].filter(([key, value]) => before.get(key) !== value).map(([key]) => key);
    assert.deepEqual(changed, [path], `--${entry.flag.name} 7 changes`);
    assert.equal(after.get(path), 7 * MS_PER[entry.flag.takes], `--${entry.flag.name} 7`);
  }
});

/** Each flag of the help with the default it states, if it states one. */
function helpDefaults(help: string): Map<string, string | undefined> {
  const found = new Map<string, string | undefined>();
  for (const block of help.split(/\n(?= {2}--)/).slice(1)) {
    const name = /^ {2}--([a-z-]+)/.exec(block)![1]!;
    const own = block.split(/\n(?! {3,})/)[0]!;
    found.set(name, /\(default ([^)]+)\)/.exec(own.replace(/\s+/g, ' '))?.[1]);
  }
  return found;
}

test("serve --help states serve's own default for each flag with one, every flag of the table among them", () => {
  const used = figures(run([]));
  const shown = helpDefaults(SERVE_HELP);
  const expected = new Map<string, string>([
    ['host', `${String(used.get('host'))}: all interfaces`],
    ['port', `${String(used.get('port'))}, the course's port`],
    ['tls-port', String(used.get('tlsPort'))],
  ]);
  for (const [, entry] of flaggedDefaults()) {
    const value = used.get(LANDS_IN[entry.flag.name]!.path) as number;
    expected.set(entry.flag.name, String(value / MS_PER[entry.flag.takes]));
  }
  const stated = new Map([...shown].filter((pair): pair is [string, string] => pair[1] !== undefined));
  assert.deepEqual(stated, expected);
});

test("--state: by default a folder per port in the user's state folder; a folder given; none keeps nothing", () => {
  const stateHome = process.env.XDG_STATE_HOME;
  process.env.XDG_STATE_HOME = join(tmpdir(), 'a-state-home');
  try {
    const expectedDefault =
      process.platform === 'linux' ? join(tmpdir(), 'a-state-home', 'classroom-relay', 'port-4000') : undefined;
    const byDefault = run(['--port', '4000']);
    if (expectedDefault) assert.equal(byDefault.state, expectedDefault);
    assert.match(byDefault.state ?? '', /classroom-relay[/\\]port-4000$/);
  } finally {
    if (stateHome === undefined) delete process.env.XDG_STATE_HOME;
    else process.env.XDG_STATE_HOME = stateHome;
  }
  assert.equal(run(['--state', 'lesson']).state, resolve('lesson'));
  assert.equal(run(['--state', 'none']).state, undefined);
  assert.throws(() => serveSetup(['--state', '']), /--state needs a folder/);
  assert.equal(run([]).newTeacherKey, false);
  assert.equal(run(['--new-teacher-key']).newTeacherKey, true);
  assert.match(SERVE_HELP, /--state DIR/);
  assert.match(SERVE_HELP, /--new-teacher-key/);
});

test('--class-creation: off without an admin key (one room, as always), key with one, open when asked; a bad value is a usage error', () => {
  const ADMIN = 'schulhaus-admin-schluessel-7';
  const plain = run([]);
  assert.deepEqual([plain.classCreation, plain.adminKey], ['off', undefined]);
  const keyed = run(['--admin-key', ADMIN]);
  assert.deepEqual([keyed.classCreation, keyed.adminKey], ['key', { key: ADMIN, source: '--admin-key' }]);
  assert.equal(run(['--class-creation', 'open']).classCreation, 'open');
  assert.equal(run(['--class-creation', 'off', '--admin-key', ADMIN]).classCreation, 'off');
  assert.throws(() => serveSetup(['--class-creation', 'key']), /--class-creation key needs an admin key/);
  assert.throws(() => serveSetup(['--class-creation', 'alle']), /must be open, key or off, not "alle"/);
  assert.throws(() => serveSetup(['--admin-key', 'kurz']), /the admin key in --admin-key has 4 characters/);
  process.env[ADMIN_KEY_ENV] = ADMIN;
  try {
    assert.deepEqual(run([]).adminKey, { key: ADMIN, source: ADMIN_KEY_ENV });
  } finally {
    delete process.env[ADMIN_KEY_ENV];
  }
  assert.match(SERVE_HELP, /--class-creation open\|key\|off/);
  assert.match(SERVE_HELP, new RegExp(`${ADMIN_KEY_ENV} +the admin key`));
});
