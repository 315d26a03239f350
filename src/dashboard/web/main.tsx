import { render, type ComponentChildren } from 'preact';
import type { LiveShare, PlanDoc, StatusDoc, VerifyDoc } from './api.js';
import { Flows } from './flows.js';
import { Policy } from './policy.js';
import { usePoll } from './poll.js';
import { Services } from './services.js';
import { Topology } from './topology.js';
import { Verify } from './verify.js';

const SECTIONS = [
  ['topology', 'Topology'],
  ['services', 'Global services'],
  ['policy', 'Policy'],
  ['flows', 'Flows'],
  ['verify', 'Verify'],
] as const;

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section id={id} aria-labelledby={`${id}-title`} class="panel">
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

function App() {
  const status = usePoll<StatusDoc>('/api/status', 5000);
  const plan = usePoll<PlanDoc>('/api/plan', 0);
  const shares = usePoll<{ shares: LiveShare[] }>('/api/shares', 1000);
  const verify = usePoll<VerifyDoc>('/api/verify', 10_000);
  return (
    <>
      <header>
        <h1>meshwright dashboard</h1>
        <nav aria-label="sections">
          {SECTIONS.map(([id, title]) => (
            <a key={id} href={`#${id}`}>{title}</a>
          ))}
        </nav>
      </header>
      <main>
        <Section id="topology" title="Topology">
          <Topology status={status} plan={plan} />
        </Section>
        <Section id="services" title="Global services">
          <Services plan={plan} live={shares} />
        </Section>
        <Section id="policy" title="Policy">
          <Policy />
        </Section>
        <Section id="flows" title="Flows">
          <Flows />
        </Section>
        <Section id="verify" title="Verify">
          <Verify report={verify} />
        </Section>
      </main>
    </>
  );
}

const root = document.getElementById('app')!;
// the loading text is not preact's: clear it before the first render
root.textContent = '';
render(<App />, root);
