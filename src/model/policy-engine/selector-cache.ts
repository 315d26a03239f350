import type { Ident } from './identities.js';
import { matchRequirements, requirementsText, type Requirement } from './selectors.js';

/**
 * The selector cache (Cilium's SelectorCache): every distinct selector is interned once, and
 * whether it matches an identity is computed once per identity and remembered in the
 * identity's memo, so a pair query costs a few array reads.
 */
export interface Selector {
  id: number;
  reqs: Requirement[];
  text: string;
}

export class SelectorRegistry {
  readonly list: Selector[] = [];
  private readonly byText = new Map<string, Selector>();

  intern(reqs: Requirement[]): Selector {
    const text = requirementsText(reqs);
    let s = this.byText.get(text);
    if (!s) {
      s = { id: this.list.length, reqs, text };
      this.list.push(s);
      this.byText.set(text, s);
    }
    return s;
  }

  get size(): number {
    return this.list.length;
  }

  matches(sel: Selector, ident: Ident): boolean {
    const m = ident.memo[sel.id];
    if (m === 2) return true;
    if (m === 1) return false;
    const yes = matchView(sel.reqs, ident.view);
    if (sel.id < ident.memo.length) ident.memo[sel.id] = yes ? 2 : 1;
    return yes;
  }
}

export function matchView(reqs: readonly Requirement[], view: ReadonlyMap<string, string>): boolean {
  return matchRequirements(reqs, (k) => view.get(k));
}
