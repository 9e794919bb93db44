/**
 * Where bench/policy.ts's p99 comes from: the samples over the target, split by whether the call
 * is a slow one (its median over the rounds above LIGHT_MEDIAN_US) or a light one hit by something
 * outside the engine (the host taking the CPU, see bench/machine-tail.ts), and the garbage
 * collections that started while Gatehouse's calls were being timed.
 */
import { PerformanceObserver } from 'node:perf_hooks';

const LIGHT_MEDIAN_US = 8;

export class TailProbe {
  private readonly windows: [number, number][] = [];
  private readonly gcStarts: number[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.gcStarts.push(entry.startTime);
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Runs `timed` and remembers its time window. */
  window(timed: () => void): void {
    const start = performance.now();
    timed();
    this.windows.push([start, performance.now()]);
  }

  /** One line; call it after the event loop has had a turn, so the GC entries have arrived. */
  report(samples: Float64Array, medians: Float64Array, thresholdUs: number): string {
    this.observer.disconnect();
    const n = medians.length;
    let over = 0;
    let fromSlowCalls = 0;
    for (let k = 0; k < samples.length; k++) {
      if (samples[k]! <= thresholdUs) continue;
      over++;
      if (medians[k % n]! > LIGHT_MEDIAN_US) fromSlowCalls++;
    }
    const slowCalls = medians.filter((m) => m > LIGHT_MEDIAN_US).length;
    const gcs = this.gcStarts.filter((t) => this.windows.some(([a, b]) => t >= a && t <= b)).length;
    const timedMs = this.windows.reduce((sum, [a, b]) => sum + b - a, 0);
    return (
      `Gatehouse samples over ${thresholdUs} µs: ${over} of ${samples.length} (a p99 under ${thresholdUs} µs allows ${Math.floor(samples.length / 100)}); ` +
      `${over - fromSlowCalls} from calls whose median is ≤ ${LIGHT_MEDIAN_US} µs, ${fromSlowCalls} from the ${slowCalls} calls above it; ` +
      `${gcs} garbage collections started during ${timedMs.toFixed(1)} ms of timed calls`
    );
  }
}
