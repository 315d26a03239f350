export { fileMode, OUTPUT_MARKER, readTree, stageTree, writeTree } from './tree.js';
export type { StagedTree } from './tree.js';
export { diffTree, isSecretPath } from './diff.js';
export type { TreeChange } from './diff.js';
