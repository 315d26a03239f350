export { loadManifests, locate, objectLine, parseManifestText, STDIN_NAME } from './load.js';
export { apiGroup, BUILT_IN_GROUPS, isNamespaced, KNOWN_KINDS } from './kinds.js';
export type { KindInfo } from './kinds.js';
export type { KubeObject, LoadedObject, LoadOptions, ManifestInput, ObjectSource } from './load.js';
