/**
 * The admin key of `serve`: whoever presents it may make, list and end classes on the relay.
 * Given with `--admin-key` or RELAY_ADMIN_KEY, never made and never printed back; checked as
 * `serve` checks a teacher key it is given (long enough that nobody guesses it).
 */
import { hasControls } from '../protocol/sanitize';
import { utf8Length } from '../protocol/utf8';
import { MAX_ADMIN_KEY_BYTES } from '../protocol/limits';
import { UsageError } from './common';
import { MIN_TEACHER_KEY_LENGTH } from './teacherKey';

export const ADMIN_KEY_ENV = 'RELAY_ADMIN_KEY';

export type AdminKeySource = '--admin-key' | typeof ADMIN_KEY_ENV;

/** Who may make classes: `serve --class-creation`. */
export type ClassCreation = 'open' | 'key' | 'off';

/** The key given, from the flag or else the environment (an empty variable counts as unset), checked. */
export function givenAdminKey(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { key: string; source: AdminKeySource } | undefined {
  const fromEnv = env[ADMIN_KEY_ENV];
  const given: { key: string; source: AdminKeySource } | undefined =
    flag !== undefined
      ? { key: flag, source: '--admin-key' as const }
      : fromEnv === undefined || fromEnv === ''
        ? undefined
        : { key: fromEnv, source: ADMIN_KEY_ENV as AdminKeySource };
  if (!given) return undefined;
  const { key, source } = given;
  const where = source === '--admin-key' ? '--admin-key' : `the environment variable ${ADMIN_KEY_ENV}`;
  if (key.trim() === '') throw new UsageError(`${where} is empty`);
  if (hasControls(key)) throw new UsageError(`the admin key in ${where} contains control characters or line breaks`);
  if (key !== key.trim()) throw new UsageError(`the admin key in ${where} starts or ends with a space`);
  if (utf8Length(key) > MAX_ADMIN_KEY_BYTES)
    throw new UsageError(`the admin key in ${where} is longer than ${MAX_ADMIN_KEY_BYTES} bytes`);
  if ([...key].length < MIN_TEACHER_KEY_LENGTH)
    throw new UsageError(
      `the admin key in ${where} has ${[...key].length} characters; it needs at least ${MIN_TEACHER_KEY_LENGTH}, so that nobody guesses it`,
    );
  return given;
}

/**
 * The admin key a class request presents (`classroom-relay class`), checked without repeating it;
 * whether it is right is the relay's to say, so it is not held to serve's length.
 */
export function clientAdminKey(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { key: string; source: AdminKeySource } | undefined {
  const fromEnv = env[ADMIN_KEY_ENV];
  if (flag === undefined && (fromEnv === undefined || fromEnv === '')) return undefined;
  const given: { key: string; source: AdminKeySource } =
    flag !== undefined ? { key: flag, source: '--admin-key' } : { key: fromEnv ?? '', source: ADMIN_KEY_ENV };
  const where = given.source === '--admin-key' ? '--admin-key' : `the environment variable ${ADMIN_KEY_ENV}`;
  if (given.key.trim() === '') throw new UsageError(`${where} is empty`);
  if (hasControls(given.key))
    throw new UsageError(`the admin key in ${where} contains control characters or line breaks`);
  if (utf8Length(given.key) > MAX_ADMIN_KEY_BYTES)
    throw new UsageError(`the admin key in ${where} is longer than ${MAX_ADMIN_KEY_BYTES} bytes`);
  return given;
}

/** `--class-creation` as given, or its default: `key` when an admin key is given, else `off`. */
export function classCreationOf(flag: string | undefined, adminKey: unknown): ClassCreation {
  if (flag === undefined) return adminKey === undefined ? 'off' : 'key';
  if (flag !== 'open' && flag !== 'key' && flag !== 'off')
    throw new UsageError(`--class-creation must be open, key or off, not "${flag}"`);
  if (flag === 'key' && adminKey === undefined)
    throw new UsageError(`--class-creation key needs an admin key (--admin-key or ${ADMIN_KEY_ENV})`);
  return flag;
}
