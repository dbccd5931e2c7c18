/**
 * An address to give the class, offered with a Copy button for each (Host Classroom, Create Class):
 * copied, it is said briefly; where nothing can be copied, a warning names it instead.
 */
import type { Editors, Log, Notices } from './ports';
import type { Translate } from './translate';

export interface AddressOfferServices {
  t: Translate;
  log: Log;
  notices: Pick<Notices, 'info' | 'warning' | 'flash'>;
  editors: Pick<Editors, 'copy'>;
}

/** Shows `message` with a Copy button for each of `addresses`, and copies the one chosen. */
export async function offerAddresses(
  services: AddressOfferServices,
  message: string,
  addresses: readonly string[],
): Promise<void> {
  const { t, notices, log, editors } = services;
  const buttons = addresses.map((address) => t('Copy {0}', address));
  const choice = await notices.info(message, ...buttons);
  const address = choice === undefined ? undefined : addresses[buttons.indexOf(choice)];
  if (address === undefined) return;
  try {
    await editors.copy(address);
    notices.flash(t('{0} copied: give it to the class.', address), 4000);
  } catch (error) {
    log.warn(t('The address could not be copied: {0}', (error as Error).message));
    void notices.warning(t('The address could not be copied here. Give the class this one: {0}', address));
  }
}
