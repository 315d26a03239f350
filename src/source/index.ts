export { MAX_SOURCE_BYTES, decodeText, readSourceFile } from './read.js';
export type { SourceText } from './read.js';
export { classifyFsError, errnoOf, fsError, onFs } from './fs-error.js';
export { makeFolder } from './mkdir.js';
export type { FsAction, FsFault, FsSite } from './fs-error.js';
export { nodeAt, withPosition, YamlSource } from './yaml-source.js';
export type { DocPath } from './yaml-source.js';
