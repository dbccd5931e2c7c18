/**
 * The connection in words a student understands: why connecting failed or the connection
 * dropped, what the client noticed about the server's bytes, the connection as the chat panel
 * shows it, and what is wrong with a name.
 */
import type { NoticeCode, RelayError } from '../../client/types';
import type { ConnectionState, DropCause } from '../../client/connectionTypes';
import type { Role } from '../../protocol/classroom';
import type { ConnectionView } from '../../protocol/panel';
import type { Translate } from '../translate';
import { checkName, type NameProblem } from '../../protocol/names';
import { MAX_NAME_LENGTH } from '../../protocol/limits';

export function describeConnectError(error: RelayError, server: string, name: string, t: Translate): string {
  switch (error.code) {
    case 'refused':
      return t(
        'Could not connect to {0}: the connection was refused. Is the relay running, and is the port right?',
        server,
      );
    case 'unreachable':
      return t('{0} cannot be reached from this computer. Are you on the same network as the relay?', server);
    case 'not-found-host':
      return t('The host in {0} is unknown. Check the server address for typing mistakes.', server);
    case 'timeout':
      return t('{0} did not answer in time. Is the address right, and is a firewall in the way?', server);
    case 'name-taken':
      return t('The name "{0}" is already taken on {1}. Choose another name.', name, server);
    case 'name-invalid':
    case 'name-reserved': {
      // The relay's own words are English: the same check here gives the reason in the person's language.
      const check = checkName(name);
      return check.ok
        ? t('The relay does not accept the name "{0}". Choose another name.', name)
        : t('The relay does not accept the name "{0}": {1}', name, describeNameProblem(check.problem, t));
    }
    case 'unsupported-version':
      return t(
        'The relay at {0} speaks a protocol version this extension does not know. Update the extension.',
        server,
      );
    case 'closed':
      return t('The connection to {0} closed before it was ready. Try again in a moment.', server);
    case 'protocol':
      return t(
        'The server at {0} answered in a way this extension does not understand. Is it a relay or a course server?',
        server,
      );
    case 'tls-untrusted':
      return t('The certificate of {0} is not trusted, so the connection was not made.', server);
    case 'tls-mismatch':
      return t(
        'The certificate of {0} has changed since you trusted it, so the connection was not made. Ask your teacher for the fingerprint.',
        server,
      );
    case 'tls-failed':
      return t("The TLS connection to {0} failed. Is this the relay's TLS port?", server);
    case 'replaced':
      return t(
        'You are now connected to {0} as "{1}" from another window, so this window stopped its connection.',
        server,
        name,
      );
    case 'disconnected-by-teacher':
      return t('Your teacher disconnected you from {0}: {1}', server, error.message);
    case 'teacher-key-invalid':
      return t(
        'The relay at {0} did not accept the teacher key. Check the key with whoever runs the relay, or connect without it as a student.',
        server,
      );
    case 'relay-busy':
      return t(
        'The relay at {0} has no room for you right now: it has as many connections, or as many new names from your address, as it takes. Try again in a minute.',
        server,
      );
    case 'teacher-key-locked':
      return t(
        'The relay at {0} checked no teacher key: too many wrong keys were tried from your address or from many addresses, so it pauses for a while. Your key was not checked and stays saved; try again in a minute.',
        server,
      );
    case 'unknown-class':
      return t(
        'The relay knows no class {0}. Check the address and its code with your teacher: the code may be mistyped, or the class has ended.',
        server,
      );
    case 'class-ended':
      return t(
        'The class {0} has ended: the relay closed it and its code no longer works. Ask your teacher for the new address.',
        server,
      );
    case 'class-refused':
      return t('The relay at {0} refused the class request; its reason is in the Relay log.', server);
  }
}

/** What the client noticed about the server's bytes, in the person's language. */
export function describeNotice(code: NoticeCode, t: Translate): string {
  switch (code) {
    case 'bad-frame':
      return t('The relay sent something this extension could not read; it was skipped.');
    case 'relay-error':
      return t('The relay reported a problem with something this extension sent.');
    case 'invalid-utf8':
      return t('The server sent bytes that are not text (not UTF-8); they were skipped.');
    case 'over-long':
      return t('The server sent a message too long to show; it was skipped.');
  }
}

/** Why the connection dropped, or why reconnecting failed, in the person's language (lower layers give codes). */
export function describeDrop(cause: DropCause, t: Translate): string {
  switch (cause.kind) {
    case 'no-ack':
      return t('the relay did not confirm a message in time');
    case 'closed':
      switch (cause.reason) {
        case 'server-shutdown':
          return t('the relay was stopped');
        case 'keepalive':
          return t('no sign of the relay for a while');
        case 'class-ended':
          return t('the class has ended');
        case 'error':
          return t('the network connection broke');
        default:
          return t('the relay closed the connection');
      }
    case 'connect-failed':
      switch (cause.code) {
        case 'refused':
          return t('the relay is not running');
        case 'timeout':
          return t('the relay does not answer');
        case 'unreachable':
        case 'not-found-host':
          return t('the relay cannot be reached');
        case 'name-taken':
          return t('the name is still in use');
        case 'name-invalid':
        case 'name-reserved':
          return t('the relay does not accept the name');
        case 'tls-untrusted':
        case 'tls-mismatch':
          return t("the relay's certificate is not trusted");
        case 'tls-failed':
          return t('the TLS connection failed');
        case 'replaced':
          return t('another window took the connection over');
        case 'disconnected-by-teacher':
          return t('your teacher disconnected you');
        case 'teacher-key-invalid':
          return t('the relay did not accept the teacher key');
        case 'teacher-key-locked':
          return t('the relay pauses teacher keys after too many wrong ones');
        case 'relay-busy':
          return t('the relay has no room right now');
        case 'unknown-class':
          return t('the relay knows no such class');
        case 'class-ended':
          return t('the class has ended');
        case 'unsupported-version':
          return t('the relay speaks another protocol version');
        case 'protocol':
          return t('the server answered in an unknown way');
        default:
          return t('the relay refused the connection');
      }
  }
}

/** The log's line for a connection that waits before it tries again. */
export function describeWaiting(state: Extract<ConnectionState, { kind: 'waiting' }>, t: Translate): string {
  return t(
    'Connection lost ({0}); reconnecting in {1} s (attempt {2})',
    describeDrop(state.cause, t),
    Math.round(state.retryInMs / 1000),
    state.attempt,
  );
}

export function connectionView(
  state: ConnectionState,
  server: string,
  t: Translate,
  lastError?: string,
): ConnectionView {
  switch (state.kind) {
    case 'idle':
      return { kind: 'disconnected' };
    case 'connecting':
      return { kind: 'connecting' };
    case 'connected':
      return { kind: 'connected', name: state.name, server, dialect: dialectLabel(state.dialect, t) };
    case 'waiting':
      return {
        kind: 'reconnecting',
        retryInSeconds: Math.max(1, Math.round(state.retryInMs / 1000)),
        reason: describeDrop(state.cause, t),
      };
    case 'failed':
      // The error's own message is English, for the log: until the lifecycle has worded this failure, its code is.
      return {
        kind: 'failed',
        reason:
          lastError ??
          t(
            'Could not connect to {0}: {1}',
            server,
            describeDrop({ kind: 'connect-failed', code: state.error.code }, t),
          ),
      };
  }
}

/** The view with the role the relay gave, when connected and known (our relay tells it; course servers do not). */
export function withRole(view: ConnectionView, role: Role | undefined): ConnectionView {
  return view.kind === 'connected' && role !== undefined ? { ...view, role } : view;
}

export function dialectLabel(dialect: string, t: Translate): string {
  switch (dialect) {
    case 'relay':
      return t('Classroom Relay');
    case 'course':
      return t('course server');
    case 'course-lan':
      return t('course LAN server');
    default:
      return dialect;
  }
}

export function describeNameProblem(problem: NameProblem, t: Translate): string {
  switch (problem) {
    case 'empty':
      return t('Enter a name.');
    case 'too-long':
      return t('A name has at most {0} characters.', MAX_NAME_LENGTH);
    case 'bad-character':
      return t("Use letters, digits, spaces and . _ - ' only; no colon. Start with a letter or digit.");
    case 'looks-like-colon':
      return t('A name must not contain a character that looks like a colon, such as ː.');
    case 'invisible-character':
      return t('A name must not contain invisible characters such as zero-width spaces or fillers.');
    case 'reserved':
      return t('This name is reserved for the relay. Choose another.');
    case 'mixed-scripts':
      return t('Use the letters of one script only, for example not Latin and Cyrillic mixed.');
  }
}
