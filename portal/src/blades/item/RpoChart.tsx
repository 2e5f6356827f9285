/** The RPO over the retained window, from the recovery points' times: the age of the newest point at each moment. */
import { useMemo } from 'preact/hooks';
import type { RecoveryPoint } from '../../api/types.js';
import { UPlotChart, type ChartOptions } from '../../components/UPlotChart.js';
import { formatSeconds } from '../../format/time.js';
import { rpoSeries } from '../../model/rpoSeries.js';

const OPTIONS: ChartOptions = {
  scales: { x: { time: true }, y: { range: (_plot, _min, max) => [0, Math.max(10, max * 1.1)] } },
  axes: [{}, { values: (_plot, splits) => splits.map((value) => formatSeconds(value)), size: 70 }],
  series: [{}, { label: 'RPO', stroke: '#c05621', fill: 'rgba(192, 86, 33, 0.15)', width: 1.5, value: (_plot, value) => (value === null ? '' : formatSeconds(value)) }],
};

export function RpoChart(props: { points: readonly RecoveryPoint[]; nowMs: number }) {
  const data = useMemo(
    () => rpoSeries(props.points.map((point) => Date.parse(point.properties.recoveryPointTime ?? '') / 1000), props.nowMs / 1000),
    [props.points, props.nowMs],
  );
  const worst = data[1].reduce((max, value) => Math.max(max, value), 0);
  return <UPlotChart options={OPTIONS} data={data} height={170} label={`RPO over the retained window; the worst was ${formatSeconds(worst)}.`} />;
}
