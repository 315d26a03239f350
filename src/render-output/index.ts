export { assertWritableOutput, OUTPUT_MARKER, readTree, writeTree } from './tree.js';
export { diffTree, isSecretPath } from './diff.js';
export type { TreeChange } from './diff.js';
