export { openSession, type OpenOptions } from './connect';
export * from './types';
