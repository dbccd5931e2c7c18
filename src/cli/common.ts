/** What the commands share: usage errors, the client options, and reading a server, a fingerprint and a dialect. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseServerAddress, type ServerAddress } from '../protocol/address';
import { DIALECT_CHOICES, type DialectChoice } from '../client/types';
import { FINGERPRINT_FORMAT, normalizeFingerprint } from '../client/fingerprint';
import { EXIT } from './exitCodes';

export class UsageError extends Error {}

export const clientOptions = {
  server: { type: 'string', short: 's' },
  name: { type: 'string', short: 'n' },
  dialect: { type: 'string', short: 'd', default: 'auto' },
  fingerprint: { type: 'string' },
  'teacher-key': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  positionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals: positionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function requireServer(value: string | undefined): ServerAddress {
  if (value === undefined)
    throw new UsageError('--server HOST:PORT is required (HOST:PORT/CODE for a class of the relay)');
  const check = parseServerAddress(value);
  if (!check.ok) throw new UsageError(`--server: ${check.detail}`);
  return check.address;
}

/** `--fingerprint`, checked: it pins a TLS certificate, so it needs a tls:// server. */
export function fingerprintOf(value: string | undefined, server: ServerAddress): string | undefined {
  if (value === undefined) return undefined;
  if (server.transport !== 'tls')
    throw new UsageError('--fingerprint pins a TLS certificate: write the server as tls://HOST:PORT');
  const fingerprint = normalizeFingerprint(value);
  if (fingerprint === undefined) throw new UsageError(`--fingerprint must be ${FINGERPRINT_FORMAT}, not "${value}"`);
  return fingerprint;
}

export function requireText(value: string | undefined, option: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${option} is required`);
  return value;
}

export function dialectOf(value: string | undefined): DialectChoice {
  const dialect = (value ?? 'auto') as DialectChoice;
  if (!DIALECT_CHOICES.includes(dialect))
    throw new UsageError(`--dialect must be one of ${DIALECT_CHOICES.join(', ')}, not "${value}"`);
  return dialect;
}

/** The server, TLS pin, dialect and name that `chat` and `send` connect with (a course-lan server takes no name). */
export function clientTarget(values: { server?: string; fingerprint?: string; dialect?: string; name?: string }): {
  server: ServerAddress;
  fingerprint: string | undefined;
  dialect: DialectChoice;
  name: string;
} {
  const server = requireServer(values.server);
  const fingerprint = fingerprintOf(values.fingerprint, server);
  const dialect = dialectOf(values.dialect);
  const name = dialect === 'course-lan' ? (values.name ?? '') : requireText(values.name, '--name NAME');
  return { server, fingerprint, dialect, name };
}

export const CLIENT_NAME = `classroom-relay-cli/${__VERSION__}`;
export { EXIT };
