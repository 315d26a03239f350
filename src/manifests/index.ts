export { loadManifests, locate, parseManifestText } from './load.js';
export type { KubeObject, LoadedObject, ManifestInput, ObjectSource } from './load.js';
