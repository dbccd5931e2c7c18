/** `classroom-relay chat`: chatting from the terminal, with the teacher's commands for teachers. */
import { createInterface } from 'node:readline';
import type { SendResult, SessionEvent } from '../client/types';
import { formatServerAddress } from '../protocol/address';
import type { Moderation, Roster, Standing } from '../protocol/classroom';
import { MAX_MUTE_MINUTES, MAX_QUESTION_BYTES, MAX_REASON_BYTES } from '../protocol/limits';
import { parseAddressed } from '../protocol/course';
import type { Snippet } from '../protocol/frames';
import { escapeControls, escapeControlsKeepLines } from '../protocol/sanitize';
import { utf8Length } from '../protocol/utf8';
import { formatRoster, localTime, newHands, shownName, standingChanges } from './classroomText';
import { EXIT } from './exitCodes';
import { CLIENT_NAME, clientOptions, clientTarget, parse } from './common';
import { openOrReport } from './open';
import { clientTeacherKey, TEACHER_KEY_ENV } from './teacherKey';
import { describeSend } from './words';

/** The commands, as /help shows them. */
export const CHAT_COMMANDS = `  Peer: text             send text to Peer
  /who                   list who is online (our relay only)
  /hand [question]       raise your hand, with a question if you like (our relay only)
  /hand down             lower it again
  /help                  show these commands
  /quit                  leave (or Ctrl+D)
Teachers (with the teacher key, on our relay) also have:
  /all text              send a hint to everyone (a student's is refused)
  /clear-hints           clear the hints of the lesson for everyone
  /roster                list the class: raised hands first, then by name
  /mute NAME [MINUTES]   mute a student for MINUTES (up to ${MAX_MUTE_MINUTES}), or until /unmute
  /unmute NAME           let a muted student write again
  /kick NAME REASON      disconnect a student, who is told REASON
  /lower NAME            lower a student's raised hand
A NAME with spaces goes in double quotes: /kick "Mia Muster" Bitte zuhören.`;

export const CHAT_HELP = `Usage: classroom-relay chat --server HOST:PORT[/CODE] --name NAME [--dialect D]
                           [--teacher-key KEY] [--fingerprint SHA256]

An interactive chat on the terminal, a friendlier course client. Type
${CHAT_COMMANDS}

Incoming messages are printed as they arrive. A teacher's carry [teacher], a teacher's
hints [teacher, to everyone]; hints sent before you joined are marked "earlier hint" and
shown with their time. Lines starting with ! are about you: "! your hand is up",
"! a teacher muted you until 10:45".

Options:
  -s, --server HOST:PORT   the relay (port 12345 when left out); tls://HOST:PORT
                           for the relay's TLS port (12346 when left out);
                           HOST:PORT/CODE joins the class of that code (as
                           "classroom-relay class create" printed it) instead of
                           the relay's default class; several addresses separated
                           by commas (A,B) are the nodes of one relay, and the
                           first that answers is used
  -n, --name NAME          the name to register
      --teacher-key KEY    connect as a teacher, with the key "classroom-relay serve"
                           printed (or was given), or for a class the key
                           "classroom-relay class create" printed; a wrong key exits 4
  -d, --dialect D          auto (default), relay, course or course-lan
      --fingerprint SHA256 with tls://: the SHA-256 fingerprint the relay's
                           certificate must have, as "classroom-relay serve"
                           printed it; needed for a self-signed certificate
  -h, --help               show this help

Environment:
  ${TEACHER_KEY_ENV}        the teacher key, when --teacher-key is not given

Exit codes: 0 left with /quit or Ctrl+D, 2 usage error, 3 could not connect, 4 name or
teacher key refused, 7 the connection closed (the relay stopped, or a teacher disconnected you).`;

const time = (iso: string) => localTime(iso);

/** Who sent it, with the relay's teacher badge; `to everyone` for hints. */
function sender(from: string, teacher: boolean | undefined, toEveryone = false, earlier = false): string {
  const tags = [
    ...(teacher ? ['teacher'] : []),
    ...(toEveryone ? ['to everyone'] : []),
    ...(earlier ? ['earlier hint'] : []),
  ];
  if (!teacher) return `${shownName(from)}${toEveryone ? ` (${tags.join(', ')})` : ''}`;
  return `${shownName(from)} [${tags.join(', ')}]`;
}

function snippetLines(header: string, snippet: Snippet): string {
  const where = snippet.file
    ? ` ${snippet.file}${snippet.lines ? `:${snippet.lines.start}-${snippet.lines.end}` : ''}`
    : '';
  return `${header} sent ${escapeControls(snippet.language)} code${escapeControls(where)}:\n${eachLine('  │ ', snippet.code)}`;
}

/**
 * What the terminal shows for an event. Network text is data: controls are escaped, and every
 * line of a message carries its sender, so no line can pass for someone else's. Standing and
 * roster are shown by the chat itself, which remembers what it showed before.
 */
export function formatEvent(event: SessionEvent): string | undefined {
  switch (event.type) {
    case 'message':
      return eachLine(`[${time(event.at)}] ${sender(event.from, event.teacher)}: `, event.text);
    case 'broadcast': {
      const who = `[${time(event.at)}] ${sender(event.from, event.teacher, true, event.earlier)}`;
      return event.snippet ? snippetLines(who, event.snippet) : eachLine(`${who}: `, event.text);
    }
    case 'snippet':
      return snippetLines(`[${time(event.at)}] ${sender(event.from, event.teacher)}`, event.snippet);
    case 'hints-cleared':
      return `! ${shownName(event.by)} cleared the hints of the lesson (${time(event.at)})`;
    case 'presence':
      return (
        [
          ...event.joined.map((name) => `* ${escapeControls(name)} is online`),
          ...event.left.map((name) => `* ${escapeControls(name)} left`),
        ].join('\n') || undefined
      );
    case 'notice':
      return eachLine('! ', event.text);
    case 'closed':
      return event.reason === 'local' ? undefined : `! connection closed: ${escapeControls(event.detail)}`;
    case 'self':
    case 'roster':
      return undefined;
  }
}

function eachLine(prefix: string, text: string): string {
  return escapeControlsKeepLines(text)
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}

/** A NAME as a command takes it: "in double quotes" or one word; and what follows it. */
export function takeName(input: string): { name: string; rest: string } | undefined {
  const text = input.trim();
  if (text.startsWith('"')) {
    const end = text.indexOf('"', 1);
    if (end <= 1) return undefined;
    return { name: text.slice(1, end), rest: text.slice(end + 1).trim() };
  }
  const [name = '', ...rest] = text.split(/\s+/);
  return name === '' ? undefined : { name, rest: rest.join(' ') };
}

/** A chat line that is a classroom command, as the request it makes, or what is wrong with it. */
export type ClassCommand =
  | { kind: 'hand'; up: boolean; question?: string }
  | { kind: 'moderate'; action: Moderation }
  | { kind: 'clear-hints' }
  | { kind: 'roster' }
  | { kind: 'problem'; text: string };

export function parseClassCommand(line: string): ClassCommand | undefined {
  const [command = '', ...words] = line.split(/\s+/);
  const rest = line.slice(command.length).trim();
  switch (command) {
    case '/hand': {
      if (rest === 'down') return { kind: 'hand', up: false };
      if (rest === '') return { kind: 'hand', up: true };
      if (utf8Length(rest) > MAX_QUESTION_BYTES)
        return {
          kind: 'problem',
          text: `the question has ${utf8Length(rest)} bytes; at most ${MAX_QUESTION_BYTES} are allowed`,
        };
      return { kind: 'hand', up: true, question: rest };
    }
    case '/clear-hints':
      return words.length === 0 ? { kind: 'clear-hints' } : { kind: 'problem', text: 'write /clear-hints alone' };
    case '/roster':
      return { kind: 'roster' };
    case '/mute': {
      const target = takeName(rest);
      if (!target) return { kind: 'problem', text: 'write /mute NAME [MINUTES], e.g. /mute Mia 10' };
      if (target.rest === '') return { kind: 'moderate', action: { action: 'mute', name: target.name } };
      const minutes = Number(target.rest);
      if (!/^\d+(\.\d+)?$/.test(target.rest) || !(minutes > 0) || minutes > MAX_MUTE_MINUTES) {
        return {
          kind: 'problem',
          text: `MINUTES must be a number from 1 to ${MAX_MUTE_MINUTES}, not "${escapeControls(target.rest)}" (a NAME with spaces goes in double quotes)`,
        };
      }
      return { kind: 'moderate', action: { action: 'mute', name: target.name, minutes } };
    }
    case '/unmute':
    case '/lower': {
      // The whole rest is the name, quoted or not.
      const quoted = /^"(.+)"$/.exec(rest);
      const name = quoted ? quoted[1]! : rest;
      if (name === '') return { kind: 'problem', text: `write ${command} NAME` };
      return {
        kind: 'moderate',
        action: command === '/unmute' ? { action: 'unmute', name } : { action: 'lower-hand', name },
      };
    }
    case '/kick': {
      const target = takeName(rest);
      if (!target || target.rest === '')
        return { kind: 'problem', text: 'write /kick NAME REASON: the student is told the reason' };
      if (utf8Length(target.rest) > MAX_REASON_BYTES)
        return {
          kind: 'problem',
          text: `the reason has ${utf8Length(target.rest)} bytes; at most ${MAX_REASON_BYTES} are allowed`,
        };
      return { kind: 'moderate', action: { action: 'disconnect', name: target.name, reason: target.rest } };
    }
    default:
      return undefined;
  }
}

/** What a teacher is told when the relay carried out a moderation. */
function moderated(action: Moderation): string {
  const name = shownName(action.name);
  switch (action.action) {
    case 'mute':
      return action.minutes === undefined
        ? `! ${name} is muted until you unmute them`
        : `! ${name} is muted for ${action.minutes} minute(s)`;
    case 'unmute':
      return `! ${name} is no longer muted`;
    case 'disconnect':
      return `! ${name} was disconnected`;
    case 'lower-hand':
      return `! ${name}'s hand is lowered`;
  }
}

export async function chat(args: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const { values } = parse(args, clientOptions);
  if (values.help) {
    out(CHAT_HELP);
    return 0;
  }
  const { server, fingerprint, dialect, name } = clientTarget(values);
  const teacher = clientTeacherKey(values['teacher-key']);
  const session = await openOrReport(
    { ...server, fingerprint, name, dialect, client: CLIENT_NAME, teacherKey: teacher?.key },
    server,
    err,
    teacher?.source,
  );
  if (typeof session === 'number') return session;

  const interactive = Boolean(process.stdin.isTTY);
  const lines = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive, prompt: '> ' });
  const show = (line: string) => {
    if (interactive) process.stdout.write('\r\x1b[K');
    out(line);
    if (interactive) lines.prompt(true);
  };
  const listed = () => session.online.map(escapeControls).join(', ');
  const online = session.online.length > 0 ? ` Online: ${listed()}.` : '';
  const role = session.role === 'teacher' ? ', teacher' : '';
  show(
    `Connected to ${formatServerAddress(server)} as "${escapeControls(session.name)}" (${session.dialect}${role}).${online} Type "Peer: text", /help or /quit.`,
  );
  if (teacher && session.dialect !== 'relay')
    show('! a course server has no teachers: the teacher key was not used, and you chat as anyone else');

  let standing: Standing = {};
  let roster: Roster | undefined;
  const closed = new Promise<number>((resolve) => {
    session.onEvent((event) => {
      if (event.type === 'self') {
        const now: Standing = { hand: event.hand, muted: event.muted };
        for (const line of standingChanges(standing, now)) show(line);
        standing = now;
        return;
      }
      if (event.type === 'roster') {
        for (const line of newHands(roster, event)) show(line);
        roster = event;
        return;
      }
      const line = formatEvent(event);
      if (line) show(line);
      if (event.type === 'closed') resolve(event.reason === 'local' ? EXIT.ok : EXIT.noAnswer);
    });
  });

  const inFlight = new Set<Promise<unknown>>();
  /** Reports how a request fared: failures always, success when there is something to say. */
  const track = (
    to: string,
    pending: Promise<SendResult>,
    done?: (result: SendResult & { status: 'delivered' | 'sent' }) => string,
  ) => {
    const watched = pending.then((result) => {
      if (result.status !== 'delivered' && result.status !== 'sent') show(`! ${to}: ${describeSend(result, to)}`);
      else if (done) show(done(result));
    });
    inFlight.add(watched);
    void watched.finally(() => inFlight.delete(watched));
  };

  const classwork = (command: ClassCommand) => {
    switch (command.kind) {
      case 'problem':
        show(`! ${command.text}`);
        return;
      case 'hand':
        track('hand', session.raiseHand(command.up, command.question));
        return;
      case 'clear-hints':
        track('clear hints', session.clearHints());
        return;
      case 'moderate':
        track(shownName(command.action.name), session.moderate(command.action), () => moderated(command.action));
        return;
      case 'roster':
        if (session.role !== 'teacher')
          show(`! only teachers see the roster (connect with --teacher-key or ${TEACHER_KEY_ENV})`);
        else if (!roster) show('! the roster has not arrived yet; try again in a moment');
        else show(formatRoster(roster));
        return;
    }
  };

  lines.on('line', (input) => {
    const line = input.trim();
    if (line === '') return;
    if (line === '/quit') {
      lines.close();
      return;
    }
    const command = parseClassCommand(line);
    if (line === '/help') show(CHAT_COMMANDS);
    else if (line === '/who')
      show(
        session.dialect === 'relay'
          ? `Online: ${listed() || 'nobody else'}${session.onlineTotal > session.online.length ? ` and ${session.onlineTotal - session.online.length} more` : ''}`
          : '! a course server cannot tell who is online',
      );
    else if (line.startsWith('/all '))
      track(
        'everyone',
        session.broadcast(line.slice(5)),
        (result) =>
          `! hint sent to everyone: ${result.status === 'delivered' && result.recipients !== undefined ? `${result.recipients} peer(s) now, ` : ''}and to those who join later`,
      );
    else if (line === '/all') show('! write /all text');
    else if (command) classwork(command);
    else if (/^\/[a-z-]+$/.test(line.split(/\s+/)[0]!) && !line.includes(':'))
      show(`! unknown command ${line.split(/\s+/)[0]}; /help lists the commands`);
    else {
      const addressed = parseAddressed(line);
      if (!addressed || addressed.to.trim() === '') show('! write "Peer: text", e.g. "Bob: Hallo"');
      else track(addressed.to.trim(), session.send(addressed.to.trim(), addressed.text.replace(/^ /, '')));
    }
    if (interactive) lines.prompt();
  });
  if (interactive) lines.prompt();

  const ended = new Promise<number>((resolve) => {
    lines.on('close', () => {
      // Standard input ended: let the messages already typed be confirmed before leaving.
      void (async () => {
        while (inFlight.size > 0) await Promise.all([...inFlight]);
        session.close();
        resolve(EXIT.ok);
      })();
    });
  });
  const code = await Promise.race([closed, ended]);
  lines.close();
  return code;
}
