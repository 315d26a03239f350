import type { IdentityTable } from './identities.js';
import { viewOf, type PeerView } from './peer.js';
import type { BoundPolicy } from './bind.js';
import type { SelectorRegistry } from './selector-cache.js';
import type { PolicyIndex } from './side.js';
import type { Direction } from './rule.js';
import type { PeerRef } from './types.js';

/** What a built engine answers from: identities, the selector cache and the policy index. */
export class EngineContext {
  constructor(
    readonly table: IdentityTable,
    readonly registry: SelectorRegistry,
    readonly index: PolicyIndex,
    readonly policies: readonly BoundPolicy[],
    /** Host policies (nodeSelector) per direction, as "Kind name": not modelled, so node-side verdicts they touch are unknown. */
    readonly hostPolicies: Record<Direction, string[]>,
  ) {}

  view(p: PeerRef): PeerView {
    return viewOf(p, this.table);
  }
}
