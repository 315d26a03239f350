import type { Platform } from '../spec/index.js';

/** First line of every rendered file: where it came from, and that editing it is futile (no timestamp: renders are byte-stable). */
export function renderedBy(platform: Pick<Platform, 'metadata'>): string {
  return `Rendered by meshwright from platform ${platform.metadata.name}; do not edit — change platform.yaml and render again.`;
}

/** Labels every object meshwright applies carries, so it can find (and prune) its own objects later. */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'meshwright' } as const;
