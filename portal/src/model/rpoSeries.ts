/**
 * The RPO over the retained window, from the recovery points' times: at any moment the RPO is the age
 * of the newest point taken by then, so it climbs from each point to the next and drops to zero when
 * the next is taken. Pure.
 */

/** x (Unix seconds, ascending) and y (RPO, seconds) of the sawtooth, ending at `nowSeconds`. */
export function rpoSeries(pointTimes: readonly number[], nowSeconds: number): [number[], number[]] {
  const times = [...pointTimes].filter(Number.isFinite).sort((a, b) => a - b);
  const xs: number[] = [];
  const ys: number[] = [];
  times.forEach((time, index) => {
    const next = times[index + 1] ?? Math.max(nowSeconds, time);
    xs.push(time);
    ys.push(0);
    // The peak just before the next point (a thousandth of a second earlier keeps x ascending).
    if (next > time) {
      xs.push(index + 1 < times.length ? next - 0.001 : next);
      ys.push(next - time);
    }
  });
  return [xs, ys];
}
