/** Why a registration was refused, in each dialect's words, and what the log says of it. */
import type { ErrorCode } from '../../protocol/frames';
import { nameKey } from '../../protocol/nameSkeleton';
import type { JoinResult } from '../routing/hub';
import { courseText } from './courseText';

export type Refusal = Extract<JoinResult, { ok: false }>;

export function framedRefusal(
  refusal: Refusal,
  name: string,
  address: string,
): { code: ErrorCode; message: string; log: string } {
  switch (refusal.refused) {
    case 'unavailable':
      return {
        code: 'node-unavailable',
        message: `${refusal.detail}; connect to another node of the relay`,
        log: `name "${name}": ${refusal.detail}`,
      };
    case 'too-many-registrations':
    case 'names-held': {
      const why =
        refusal.refused === 'too-many-registrations'
          ? `too many registrations from ${address} lately`
          : 'the relay holds as many names as it may for clients that lost their connection';
      const seconds = Math.ceil(refusal.waitMs / 1000);
      return {
        code: 'too-many-connections',
        message: `${why}; try again in ${seconds} s`,
        log: `name "${name}": ${why}`,
      };
    }
    case 'taken': {
      const looksLike = refusal.held
        ? `; it is held for a minute for the client that had it and lost its connection`
        : nameKey(refusal.holder) !== nameKey(name)
          ? `; it looks the same as "${refusal.holder}", who is connected`
          : '';
      return {
        code: 'name-taken',
        message: `the name "${name}" is already taken${looksLike}`,
        log: `name "${name}" is taken${looksLike}`,
      };
    }
  }
}

export function courseRefusal(refusal: Refusal, name: string): { line: string; log: string; reason: string } {
  switch (refusal.refused) {
    case 'unavailable':
      return {
        line: courseText.nodeUnavailable(),
        log: `name "${name}": ${refusal.detail}`,
        reason: 'node unavailable',
      };
    case 'too-many-registrations':
    case 'names-held':
      return {
        line: courseText.tooManyRegistrations(Math.ceil(refusal.waitMs / 1000)),
        log: `name "${name}": too many registrations from this address`,
        reason: 'too many registrations',
      };
    case 'taken': {
      const { holder, held } = refusal;
      const why = held
        ? ' (held for a client that lost its connection)'
        : nameKey(holder) !== nameKey(name)
          ? ` (looks like "${holder}")`
          : '';
      return {
        line: held ? courseText.nameHeld(name) : courseText.nameTaken(name, holder),
        log: `name "${name}" is taken${why}`,
        reason: 'name taken',
      };
    }
  }
}
