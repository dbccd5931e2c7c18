/**
 * What to offer once connecting failed: after the person's own connect, Retry and Change Server
 * (or Change Name, when the name was the problem); after a connection that was up failed for
 * good, Connect Again when another window or a teacher ended it, or the certificate's question.
 * A refused teacher key has choices of its own (TeacherKeyActions.refused).
 */
import type { RelayError } from '../../client/types';
import type { Notices } from '../ports';
import type { Translate } from '../translate';
import type { ConnectOptions, Target } from './connectTarget';
import type { TrustGate } from './trust';

export interface FailureServices {
  t: Translate;
  notices: Pick<Notices, 'error' | 'warning'>;
  trust: Pick<TrustGate, 'settle'>;
  /** The relay refused the teacher key: `message` says so; the person decides what next. */
  keyRefused(message: string, target: Target): Promise<void>;
  connect(options: ConnectOptions): Promise<void>;
}

/** The person's connect to `target` failed with `error`, worded as `message`. */
export async function offerAfterConnect(
  services: FailureServices,
  error: RelayError,
  message: string,
  target: Target,
): Promise<void> {
  const { t, notices } = services;
  const connect = (options: ConnectOptions) => services.connect(options);
  if (error.code === 'teacher-key-invalid') {
    await services.keyRefused(message, target);
    return;
  }
  const retry = t('Retry');
  // The key was not checked: asking for another one would not help, waiting does.
  if (error.code === 'teacher-key-locked') {
    if ((await notices.warning(message, retry)) === retry) await connect({ target });
    return;
  }
  const changeServer = t('Change Server');
  // Trying the same code again would meet the same answer: the address with another code is what helps.
  if (isClassGone(error)) {
    if ((await notices.error(message, changeServer)) === changeServer) await connect({ askServer: true });
    return;
  }
  const changeName = t('Change Name');
  const nameProblem = error.code === 'name-taken' || error.code === 'name-invalid' || error.code === 'name-reserved';
  const choice = await notices.error(message, retry, nameProblem ? changeName : changeServer);
  if (choice === retry) await connect({ target });
  else if (choice === changeServer) await connect({ askServer: true });
  else if (choice === changeName) await connect({ askName: true });
}

/**
 * A reconnect failed for good (a certificate no longer trusted, another window took over, the
 * relay now refuses the teacher key, a teacher disconnected this student, the class ended): as
 * loud as on the first connect.
 */
export async function offerAfterDrop(
  services: FailureServices,
  error: RelayError,
  message: string,
  target: Target,
): Promise<void> {
  const { t, notices } = services;
  const connect = (options: ConnectOptions) => services.connect(options);
  if (error.code === 'teacher-key-invalid') {
    await services.keyRefused(message, target);
    return;
  }
  if (error.code === 'disconnected-by-teacher' || error.code === 'replaced') {
    const again = t('Connect Again');
    if ((await notices.warning(message, again)) === again) await connect({ target, again: true });
    return;
  }
  if (isClassGone(error)) {
    const changeServer = t('Change Server');
    if ((await notices.error(message, changeServer)) === changeServer) await connect({ askServer: true });
    return;
  }
  if ((await services.trust.settle(error, target.server)) === 'retry') await connect({ target });
}

/** The class named by the address is not (or no longer) on the relay. */
export function isClassGone(error: RelayError): boolean {
  return error.code === 'unknown-class' || error.code === 'class-ended';
}
