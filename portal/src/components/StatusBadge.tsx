/** A state or health in words, coloured by how it stands (good, warning, bad, running). */
const TONES: Readonly<Record<string, string>> = {
  Normal: 'good',
  Succeeded: 'good',
  Protected: 'good',
  Connected: 'good',
  OK: 'good',
  Warning: 'warn',
  Suspended: 'warn',
  Cancelled: 'warn',
  Critical: 'bad',
  Failed: 'bad',
  NotConnected: 'bad',
  Error: 'bad',
  InProgress: 'busy',
  NotStarted: 'busy',
};

export function StatusBadge(props: { value: string | undefined; text?: string }) {
  if (!props.value) return null;
  const tone = TONES[props.value] ?? (/fail/i.test(props.value) ? 'bad' : 'neutral');
  return <span class={`badge tone-${tone}`}>{props.text ?? props.value}</span>;
}
