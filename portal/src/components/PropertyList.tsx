/** Name–value pairs of a resource (a `<dl>`), leaving out empty values. */
import type { ComponentChildren } from 'preact';

export function PropertyList(props: { entries: ReadonlyArray<[string, ComponentChildren]> }) {
  const shown = props.entries.filter(([, value]) => value !== undefined && value !== null && value !== '');
  return (
    <dl class="properties">
      {shown.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
