export { resolvePeer, ResolveError } from './resolve.js';
export type { Resolved, ResolveContext } from './resolve.js';
export { explain, label, nodeLabel } from './explain.js';
export type { ExplainCase, Explanation } from './explain.js';
export { buildMatrix } from './matrix.js';
export type { Matrix, MatrixCell, MatrixIdentity, MatrixNode, MatrixOptions } from './matrix.js';
export { matrixNodes } from './matrix-nodes.js';
export { connlist } from './connlist.js';
export { formatConnections, isEmpty } from './connections.js';
