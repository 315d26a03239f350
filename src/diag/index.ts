export type { Diagnostic, Position, Severity } from './diagnostic.js';
export { MeshwrightError, countBySeverity, hasErrors, sortDiagnostics } from './diagnostic.js';
export { LineIndex } from './line-index.js';
export { formatDiagnostic } from './format.js';
export { decideColor, paint } from './paint.js';
export type { ColorMode, Palette } from './paint.js';
