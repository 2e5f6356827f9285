/** A uPlot chart that fills its container's width; its data can change without redrawing the axes' setup. */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>;

const MIN_WIDTH = 240;

export function UPlotChart(props: { options: ChartOptions; data: uPlot.AlignedData; height: number; label: string }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | undefined>(undefined);
  const data = useRef(props.data);
  data.current = props.data;

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const width = (): number => Math.max(MIN_WIDTH, element.clientWidth);
    const plot = new uPlot({ ...props.options, width: width(), height: props.height }, data.current, element);
    chart.current = plot;
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: props.height }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
      chart.current = undefined;
    };
  }, [props.options, props.height]);

  useEffect(() => {
    chart.current?.setData(props.data);
  }, [props.data]);

  return <div ref={container} class="chart" role="img" aria-label={props.label} />;
}
