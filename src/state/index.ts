export { caFiles, loadPkiState } from './load.js';
export type { LoadOptions } from './load.js';
export { savePkiState } from './save.js';
export type { StateErrorCode } from './errors.js';
export { IPSEC_FILE, loadIpsecKeys, saveIpsecKeys } from './ipsec.js';
export { commit, discard, stage } from './atomic.js';
export type { Staged } from './atomic.js';
