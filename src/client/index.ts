/** The client side as the package offers it: open a session with a relay or a course server. */
export { openSession, type OpenOptions } from './connect';
export * from './types';
export {
  classRequest,
  classRefusalOf,
  type ClassAnswer,
  type ClassMade,
  type ClassRefusal,
  type ClassRequest,
} from './classRequest';
