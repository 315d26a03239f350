import type { ComponentChildren } from 'preact';

/** A wide table's frame: scrolls sideways on a narrow window, and is reachable by keyboard to do so. */
export function Scroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
