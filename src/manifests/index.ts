export { loadManifests, locate, objectLine, parseManifestText } from './load.js';
export type { KubeObject, LoadedObject, ManifestInput, ObjectSource } from './load.js';
