/**
 * The teacher key on the command line: made by `serve`, or given with `--teacher-key` or
 * RELAY_TEACHER_KEY. A key is a secret: it is read from there and handed to the relay or the
 * hello, and never printed back (only `serve` prints the key it made, once).
 */
import { hasControls } from '../protocol/sanitize';
import { utf8Length } from '../protocol/utf8';
import { MAX_TEACHER_KEY_BYTES } from '../protocol/limits';
import { UsageError } from './common';

export const TEACHER_KEY_ENV = 'RELAY_TEACHER_KEY';

/**
 * Shortest key `serve` takes; a made key has 19 characters and about 79 bits. A key a person
 * chose has far fewer bits per character, and the relay checks up to keyFailuresInAll wrong keys
 * a minute (defaults.ts): 16 characters keep two or three words out of reach of a term's guessing.
 */
export const MIN_TEACHER_KEY_LENGTH = 16;

export type KeySource = '--teacher-key' | typeof TEACHER_KEY_ENV;

/** The key given to this command, from the flag or else the environment; an empty variable counts as unset. */
export function givenTeacherKey(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { key: string; source: KeySource } | undefined {
  if (flag !== undefined) return { key: flag, source: '--teacher-key' };
  const fromEnv = env[TEACHER_KEY_ENV];
  return fromEnv === undefined || fromEnv === '' ? undefined : { key: fromEnv, source: TEACHER_KEY_ENV };
}

/**
 * Checks a given key without repeating it. `serve` also wants it long enough to resist
 * guessing; a client leaves that to the relay, which says whether the key is right.
 */
export function checkTeacherKey(given: { key: string; source: KeySource }, forServe: boolean): string {
  const { key, source } = given;
  const where = source === '--teacher-key' ? '--teacher-key' : `the environment variable ${TEACHER_KEY_ENV}`;
  if (key.trim() === '') throw new UsageError(`${where} is empty`);
  if (hasControls(key)) throw new UsageError(`the teacher key in ${where} contains control characters or line breaks`);
  if (key !== key.trim()) throw new UsageError(`the teacher key in ${where} starts or ends with a space`);
  if (utf8Length(key) > MAX_TEACHER_KEY_BYTES)
    throw new UsageError(`the teacher key in ${where} is longer than ${MAX_TEACHER_KEY_BYTES} bytes`);
  if (forServe && [...key].length < MIN_TEACHER_KEY_LENGTH) {
    throw new UsageError(
      `the teacher key in ${where} has ${[...key].length} characters; a teacher key needs at least ${MIN_TEACHER_KEY_LENGTH}, so that students cannot guess it (leave it out and "serve" makes one)`,
    );
  }
  return key;
}

/** The key a client command presents, checked, with where it came from; undefined to connect as a student. */
export function clientTeacherKey(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): { key: string; source: KeySource } | undefined {
  const given = givenTeacherKey(flag, env);
  if (given) checkTeacherKey(given, false);
  return given;
}
