export { runRender } from './render.js';
export type { RenderOutcome, RenderRequest } from './render.js';
