export { validatePlatformFile, validatePlatformText } from './validate.js';
export { dotted } from './schema-issues.js';
export type { ValidationResult } from './validate.js';
export { PlatformSchema, platformJsonSchema } from './schema.js';
export type { CiliumSpec, ClusterSpec, MeshSpec, NodeSpec, Platform } from './schema.js';
export { summarizePlatform } from './summary.js';
export type { ClusterSummary, PlatformSummary } from './summary.js';
export { loadBalancerPoolName } from './names.js';
