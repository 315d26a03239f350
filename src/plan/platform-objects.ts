import { parseManifestText, type LoadedObject } from '../manifests/index.js';
import { MANIFEST_RENDERERS } from '../render/index.js';
import type { Platform } from '../spec/index.js';

/**
 * The objects meshwright itself applies to each cluster (ingress test app, global-service demo),
 * read back from the very manifests render writes, so the plan predicts what is deployed.
 */
export function platformObjects(platform: Platform): LoadedObject[] {
  return platform.spec.clusters.flatMap((cluster) =>
    MANIFEST_RENDERERS.flatMap((render) => {
      const file = render(platform, cluster);
      if (!file) return [];
      return parseManifestText(file.path, file.content, cluster.name).objects.map((o) => ({ ...o, origin: 'platform' as const }));
    }),
  );
}
