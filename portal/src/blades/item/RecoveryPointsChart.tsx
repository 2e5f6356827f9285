/** The item's recovery points on a timeline: crash-consistent on one row, application-consistent on the other. */
import { useMemo } from 'preact/hooks';
import type uPlot from 'uplot';
import type { RecoveryPoint } from '../../api/types.js';
import { UPlotChart, type ChartOptions } from '../../components/UPlotChart.js';
import { isAppConsistent } from '../../model/pointChoice.js';

const CRASH = 1;
const APP = 2;
const ROW_NAMES: Readonly<Record<number, string>> = { [CRASH]: 'Crash', [APP]: 'App' };

/** At least ten minutes across, with a margin each side, so one point (or a few close together) sits on a readable clock. */
const MIN_SPAN_SECONDS = 600;

/** The x range from the points' own times (uPlot widens a single point's range to a thousand days when x is in seconds). */
function timeRange(plot: uPlot): uPlot.Range.MinMax {
  const times = plot.data[0];
  const now = Date.now() / 1000;
  const low = times.length > 0 ? (times[0] ?? now) : now - MIN_SPAN_SECONDS;
  const high = times.length > 0 ? (times[times.length - 1] ?? now) : now;
  const pad = Math.max(MIN_SPAN_SECONDS - (high - low), 0) / 2 + (high - low) * 0.03;
  return [low - pad, high + pad];
}

const OPTIONS: ChartOptions = {
  scales: { x: { time: true, range: timeRange }, y: { range: [0.5, 2.5] } },
  axes: [{}, { splits: () => [CRASH, APP], values: (_plot, splits) => splits.map((value) => ROW_NAMES[value] ?? ''), size: 56 }],
  series: [
    {},
    { label: 'Crash-consistent', stroke: '#2b6cb0', fill: '#2b6cb0', paths: () => null, points: { show: true, size: 7, stroke: '#2b6cb0', fill: '#2b6cb0' } },
    { label: 'App-consistent', stroke: '#2f855a', fill: '#2f855a', paths: () => null, points: { show: true, size: 9, stroke: '#2f855a', fill: '#2f855a' } },
  ],
  cursor: { drag: { x: true, y: false } },
};

/** x (seconds, ascending), crash row, app row. */
function timelineData(points: readonly RecoveryPoint[]): uPlot.AlignedData {
  const sorted = points
    .map((point) => ({ time: Date.parse(point.properties.recoveryPointTime ?? '') / 1000, app: isAppConsistent(point) }))
    .filter((point) => Number.isFinite(point.time))
    .sort((a, b) => a.time - b.time);
  return [sorted.map((point) => point.time), sorted.map((point) => (point.app ? null : CRASH)), sorted.map((point) => (point.app ? APP : null))];
}

export function RecoveryPointsChart(props: { points: readonly RecoveryPoint[] }) {
  const data = useMemo(() => timelineData(props.points), [props.points]);
  const app = props.points.filter(isAppConsistent).length;
  return (
    <UPlotChart
      options={OPTIONS}
      data={data}
      height={150}
      label={`Timeline of ${props.points.length} recovery points: ${props.points.length - app} crash-consistent, ${app} application-consistent.`}
    />
  );
}
