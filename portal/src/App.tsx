/**
 * The console's shell: the vault's name and blades (Overview, Replicated items, Jobs, Recovery plans,
 * Infrastructure, Events), the blade of the current route, and the function key prompt. Each
 * navigation moves focus to the new blade's title.
 */
import { useEffect } from 'preact/hooks';
import type { VaultRef } from './api/resourcePaths.js';
import { EventsBlade } from './blades/EventsBlade.js';
import { InfrastructureBlade } from './blades/InfrastructureBlade.js';
import { ItemBlade } from './blades/item/ItemBlade.js';
import { ItemsBlade } from './blades/ItemsBlade.js';
import { JobBlade } from './blades/jobs/JobBlade.js';
import { JobsBlade } from './blades/jobs/JobsBlade.js';
import { OverviewBlade } from './blades/OverviewBlade.js';
import { PlanBlade } from './blades/plans/PlanBlade.js';
import { PlansBlade } from './blades/plans/PlansBlade.js';
import { VaultsBlade } from './blades/VaultsBlade.js';
import { KeyPrompt } from './components/KeyPrompt.js';
import { useRoute } from './hooks/useRoute.js';
import { hrefOf } from './routing/navigation.js';
import { Link } from './routing/Link.js';
import type { Blade, Route } from './routing/routes.js';

const NAV: ReadonlyArray<{ blade: Blade; label: string }> = [
  { blade: 'overview', label: 'Overview' },
  { blade: 'items', label: 'Replicated items' },
  { blade: 'jobs', label: 'Jobs' },
  { blade: 'plans', label: 'Recovery plans' },
  { blade: 'infrastructure', label: 'Infrastructure' },
  { blade: 'events', label: 'Events' },
];

/** The blade a route belongs to in the navigation (an item is under Replicated items). */
function sectionOf(route: Route): Blade | undefined {
  switch (route.kind) {
    case 'blade':
      return route.blade;
    case 'item':
      return 'items';
    case 'job':
      return 'jobs';
    case 'plan':
      return 'plans';
    default:
      return undefined;
  }
}

function BladeOf(props: { route: Route }) {
  const { route } = props;
  switch (route.kind) {
    case 'vaults':
      return <VaultsBlade />;
    case 'item':
      return <ItemBlade vault={route.vault} item={route.item} />;
    case 'job':
      return <JobBlade vault={route.vault} job={route.job} />;
    case 'plan':
      return <PlanBlade vault={route.vault} plan={route.plan} />;
    case 'notFound':
      return (
        <section>
          <h1 id="blade-title" tabIndex={-1}>
            Not found
          </h1>
          <p>
            The console has no page at this address. <Link href={hrefOf({ kind: 'vaults' })}>Open the vaults</Link>.
          </p>
        </section>
      );
    case 'blade':
      switch (route.blade) {
        case 'overview':
          return <OverviewBlade vault={route.vault} />;
        case 'items':
          return <ItemsBlade vault={route.vault} />;
        case 'jobs':
          return <JobsBlade vault={route.vault} />;
        case 'plans':
          return <PlansBlade vault={route.vault} />;
        case 'infrastructure':
          return <InfrastructureBlade vault={route.vault} />;
        case 'events':
          return <EventsBlade vault={route.vault} />;
      }
  }
}

function VaultNav(props: { vault: VaultRef; section: Blade | undefined }) {
  return (
    <nav class="blades" aria-label="Vault">
      <ul>
        {NAV.map(({ blade, label }) => (
          <li key={blade}>
            <Link href={hrefOf({ kind: 'blade', vault: props.vault, blade })} current={props.section === blade}>
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function App() {
  const route = useRoute();
  const vault = 'vault' in route ? route.vault : undefined;
  const href = location.pathname;
  useEffect(() => {
    document.getElementById('blade-title')?.focus();
  }, [href]);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href={hrefOf({ kind: 'vaults' })} class="brand">
          Site Recovery
        </Link>
        {vault ? (
          <span class="vault-name">
            Vault <strong>{vault.vault}</strong> <span class="muted">({vault.resourceGroup})</span>
          </span>
        ) : null}
      </header>
      <div class="layout">
        {vault ? <VaultNav vault={vault} section={sectionOf(route)} /> : null}
        <main id="main">
          <BladeOf route={route} />
        </main>
      </div>
      <KeyPrompt />
    </>
  );
}
