/**
 * `classroom-relay class create|list|end`: a teacher makes a class on a relay (and gets the
 * address to give the class and the class's teacher key, once); the admin key's holder lists
 * the classes and ends one.
 */
import { classRefusalOf, classRequest, type ClassRequest } from '../client/classRequest';
import { RelayError } from '../client/types';
import { formatServerAddress, relayOf, type ServerAddress } from '../protocol/address';
import { readClassCode } from '../protocol/classCode';
import type { ClassSummary } from '../protocol/frames';
import { escapeControls } from '../protocol/sanitize';
import { ADMIN_KEY_ENV, clientAdminKey, type AdminKeySource } from './adminKey';
import { localTime } from './classroomText';
import { EXIT, fingerprintOf, parse, requireServer, UsageError } from './common';
import { exitForOpenError } from './exitCodes';
import { TEACHER_KEY_ENV } from './teacherKey';

export const CLASS_HELP = `Usage: classroom-relay class create --server HOST:PORT [--admin-key KEY] [--json]
       classroom-relay class list   --server HOST:PORT --admin-key KEY [--json]
       classroom-relay class end    --server HOST:PORT --admin-key KEY CODE

A relay may keep classes beside its default class, each with its own names, hints, roster and
teachers; its students join with the relay's address and the class's code, HOST:PORT/CODE.

  create  makes a class and prints the address to give the class (HOST:PORT/CODE), its
          code and its own teacher key (shown once: the relay keeps only its digest);
          with --json: {"code": …, "teacherKey": …, "address": …}
  list    the relay's classes: code, when made, when last used, who is online now
  end     ends the class CODE: its members are told and disconnected, and its code no
          longer works

Who may make classes is the relay's choice ("classroom-relay serve --class-creation"):
anyone, or only holders of the admin key; listing and ending always need the admin key.

Options:
  -s, --server HOST:PORT   the relay (port 12345 when left out); tls://HOST:PORT
                           for the relay's TLS port (12346 when left out);
                           several separated by commas (A,B) are the nodes of
                           one relay, and the first that answers is used
      --admin-key KEY      the admin key the relay was started with
      --json               print the answer as JSON (create, list)
      --fingerprint SHA256 with tls://: the SHA-256 fingerprint the relay's
                           certificate must have, as "classroom-relay serve"
                           printed it; needed for a self-signed certificate
      --timeout SECONDS    how long to wait for the connection and for the answer
                           (default 10)
  -h, --help               show this help

Environment:
  ${ADMIN_KEY_ENV}          the admin key, when --admin-key is not given (it keeps the
                           key out of the process list other users of the machine can read)

Exit codes:
  0  done
  1  the server is not a Classroom Relay
  2  usage error (e.g. no admin key for list or end, a malformed CODE)
  3  could not connect (refused, unreachable, unknown host, timeout, TLS)
  4  refused by the relay: it makes no classes, the admin key is needed or wrong,
     too many classes, or no class CODE`;

type Action = 'create' | 'list' | 'end';

export async function classCommand(
  args: string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      server: { type: 'string', short: 's' },
      'admin-key': { type: 'string' },
      json: { type: 'boolean' },
      fingerprint: { type: 'string' },
      timeout: { type: 'string', default: '10' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help) {
    out(CLASS_HELP);
    return EXIT.ok;
  }
  const [action, ...rest] = positionals;
  if (action !== 'create' && action !== 'list' && action !== 'end')
    throw new UsageError(
      action === undefined
        ? 'say what to do: class create, class list or class end CODE'
        : `"${action}" is not a class command: write create, list or end`,
    );
  const server = requireServer(values.server);
  const fingerprint = fingerprintOf(values.fingerprint, server);
  const adminKey = clientAdminKey(values['admin-key']);
  const timeoutMs = Number(values.timeout) * 1000;
  if (!(timeoutMs > 0)) throw new UsageError(`--timeout must be a positive number of seconds, not "${values.timeout}"`);
  if (values.json && action === 'end') throw new UsageError('--json is for class create and class list');
  const request = requestOf(action, rest, server, adminKey?.key);
  const where = formatServerAddress(relayOf(server));
  try {
    const answer = await classRequest(server, request, { fingerprint, timeoutMs });
    switch (answer.type) {
      case 'created': {
        const address = formatServerAddress(answer.address);
        if (values.json) out(JSON.stringify({ code: answer.code, teacherKey: answer.teacherKey, address }));
        else for (const line of madeLines(answer.code, answer.teacherKey, address)) out(line);
        return EXIT.ok;
      }
      case 'list':
        out(values.json ? JSON.stringify(answer.classes) : formatClasses(answer.classes));
        return EXIT.ok;
      case 'ended':
        out(`Class ${answer.code} ended: its members were told and disconnected, and its code no longer works.`);
        return EXIT.ok;
    }
  } catch (error) {
    if (!(error instanceof RelayError)) throw error;
    err(`classroom-relay: ${escapeControls(error.message)} (${where})`);
    const advice = classAdvice(error, adminKey?.source);
    if (advice) err(advice);
    return exitForOpenError(error.code);
  }
}

function requestOf(action: Action, rest: string[], server: ServerAddress, adminKey: string | undefined): ClassRequest {
  if (action !== 'end' && rest.length > 0) throw new UsageError(`class ${action} takes no CODE, but got "${rest[0]}"`);
  if (action === 'create') return adminKey === undefined ? { type: 'create' } : { type: 'create', adminKey };
  if (adminKey === undefined)
    throw new UsageError(`class ${action} needs the admin key: --admin-key KEY or ${ADMIN_KEY_ENV}`);
  if (action === 'list') return { type: 'list', adminKey };
  if (rest.length > 1) throw new UsageError('class end ends one class: give one CODE');
  // The class's own address names it as well as a CODE does.
  const typed = rest[0] ?? server.classCode;
  if (typed === undefined) throw new UsageError('class end needs the CODE of the class to end');
  const code = readClassCode(typed);
  if (!code.ok) throw new UsageError(`CODE: ${code.detail}`);
  return { type: 'end', code: code.code, adminKey };
}

/** What `class create` prints: the address for the class, the code, and the key (the only time it is shown). */
function madeLines(code: string, teacherKey: string, address: string): string[] {
  return [
    `Class ${code} is made. Give the class this address (students connect to it, with their own names):`,
    `  ${address}`,
    "The class's teacher key, for its teachers only (shown this once; the relay keeps only its digest):",
    `  ${teacherKey}`,
    `Connect as the class's teacher with --server ${address} --teacher-key KEY (or ${TEACHER_KEY_ENV}).`,
  ];
}

/** The classes as a table: code, when made and last used (local time), and how many are online now. */
export function formatClasses(classes: readonly ClassSummary[], now: Date = new Date()): string {
  if (classes.length === 0) return 'This relay has no classes (besides its default class).';
  const header = ['code', 'made', 'last used', 'online'];
  const rows = [...classes]
    .sort((a, b) => a.madeAt.localeCompare(b.madeAt))
    .map((each) => [
      escapeControls(each.code),
      localTime(each.madeAt, now),
      localTime(each.usedAt, now),
      String(each.online),
    ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 3 ? cell.padStart(widths[3]!) : cell.padEnd(widths[column]!))).join('  ');
  const online = classes.reduce((sum, each) => sum + each.online, 0);
  return [line(header), ...rows.map(line), `${classes.length} class(es), ${online} online`].join('\n');
}

/** What to do about a refused class request, for a second line under it. */
function classAdvice(error: RelayError, keySource: AdminKeySource | undefined): string | undefined {
  switch (classRefusalOf(error)) {
    case 'admin-key':
      return keySource === undefined
        ? `Give the admin key the relay was started with: --admin-key KEY or ${ADMIN_KEY_ENV}.`
        : `The key came from ${keySource}; check it with whoever runs the relay.`;
    case 'off':
      return 'Whoever runs the relay decides: "classroom-relay serve --class-creation open", or with --admin-key.';
    case 'locked':
      return 'The relay checked no admin key: wait the time it gives, then try again.';
    case 'full':
      return 'End a class no longer used ("classroom-relay class end CODE"), or ask whoever runs the relay.';
    case 'no-such-class':
      return 'See the classes there are with "classroom-relay class list".';
    case 'apart':
      return "The relay's node cannot reach its other nodes just now: try again in a moment, or give the relay's other addresses (A,B).";
    default:
      return undefined;
  }
}
