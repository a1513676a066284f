import { totalmem } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { BatchObservableResult, MeterProvider, Observable } from '@opentelemetry/api';

/**
 * The Node process's own health: memory against its target and limits, CPU,
 * event-loop delay. Prometheus names under the platform's prefix, like
 * `metricNames`, not the OpenTelemetry semantic-convention names: the
 * JavaScript Prometheus exporter appends no unit suffix, so
 * `process.memory.usage` would be scraped as `process_memory_usage` (no
 * `_bytes`) and renamed under the dashboards' feet once the exporter follows
 * the specification's suffixing; and the conventions' V8 heap metrics are per
 * heap space, with no metric for the limit `--max-old-space-size` sets.
 * See the README for the decision and the mapping.
 *
 * No attributes except the CPU mode: the service, pod and instance come from
 * the resource and the scrape, as for every platform metric.
 */
export const runtimeMetricNames = {
  /** process.memoryUsage.rss(); target ≤ 250 MiB under load. */
  residentMemory: 'buergerservice_process_resident_memory_bytes',
  /** The container's memory limit (cgroup); no series without one. */
  memoryLimit: 'buergerservice_process_memory_limit_bytes',
  /** process.cpuUsage(), by `mode` (user, system). */
  cpu: 'buergerservice_process_cpu_seconds_total',
  /** v8.getHeapStatistics().used_heap_size. */
  heapUsed: 'buergerservice_nodejs_heap_used_bytes',
  /** v8.getHeapStatistics().heap_size_limit: old space (`--max-old-space-size`) plus young generation. */
  heapLimit: 'buergerservice_nodejs_heap_limit_bytes',
  /** Event-loop delay since the previous collection: median, 99th percentile and maximum. */
  eventLoopDelayP50: 'buergerservice_nodejs_eventloop_delay_p50_seconds',
  eventLoopDelayP99: 'buergerservice_nodejs_eventloop_delay_p99_seconds',
  eventLoopDelayMax: 'buergerservice_nodejs_eventloop_delay_max_seconds',
} as const;

export type CpuAttributes = { mode: 'user' | 'system' };

export interface RuntimeMetricsOptions {
  /**
   * How often the event loop is sampled; 10 ms (Node's default) unless
   * given. A stall longer than this is seen whole, as one sample.
   */
  readonly eventLoopResolutionMillis?: number;
}

const defaultResolutionMillis = 10;

/**
 * Registers the runtime metrics on `provider` and starts sampling the event
 * loop. `startTelemetry` calls it whenever the Prometheus endpoint is on.
 * Returns the function that unregisters them and stops the sampling.
 *
 * The event-loop gauges describe the time since the previous collection
 * (scrape) and the sampler is reset at each: a gauge per window rather than
 * a histogram, because Node's sampler keeps its own high-resolution
 * histogram whose single samples are not available to feed an OpenTelemetry
 * one, and because the maximum — a stall of the loop, e.g. a synchronous
 * PDF rendering or a long GC pause — is what a histogram's buckets would hide.
 * The price: every reader of the same provider shares the window (a second
 * scraper shortens the first one's), and the sampler's first interval after
 * a reset is not recorded (Node starts measuring at its first tick), so
 * about one resolution per scrape is not seen.
 */
export function observeRuntime(provider: MeterProvider, options: RuntimeMetricsOptions = {}): () => void {
  const resolutionMillis = options.eventLoopResolutionMillis ?? defaultResolutionMillis;
  const meter = provider.getMeter('@buergerservice/telemetry');

  const residentMemory = meter.createObservableGauge(runtimeMetricNames.residentMemory, {
    description: 'Resident set size of the process (physical memory in use).',
    unit: 'By',
  });
  const memoryLimit = meter.createObservableGauge(runtimeMetricNames.memoryLimit, {
    description: "Memory limit of the process's container (cgroup); absent when there is none.",
    unit: 'By',
  });
  const cpu = meter.createObservableCounter<CpuAttributes>(runtimeMetricNames.cpu, {
    description: 'CPU time the process used since it started, by mode.',
    unit: 's',
  });
  const heapUsed = meter.createObservableGauge(runtimeMetricNames.heapUsed, {
    description: 'V8 heap in use by JavaScript objects.',
    unit: 'By',
  });
  const heapLimit = meter.createObservableGauge(runtimeMetricNames.heapLimit, {
    description: 'Size the V8 heap may grow to before the process fails with "heap out of memory".',
    unit: 'By',
  });
  const delayP50 = meter.createObservableGauge(runtimeMetricNames.eventLoopDelayP50, {
    description: 'Median event-loop delay since the previous collection.',
    unit: 's',
  });
  const delayP99 = meter.createObservableGauge(runtimeMetricNames.eventLoopDelayP99, {
    description: '99th percentile of the event-loop delay since the previous collection.',
    unit: 's',
  });
  const delayMax = meter.createObservableGauge(runtimeMetricNames.eventLoopDelayMax, {
    description: 'Longest event-loop delay since the previous collection.',
    unit: 's',
  });

  const loop = monitorEventLoopDelay({ resolution: resolutionMillis });
  loop.enable();

  const observables: Observable[] = [
    residentMemory,
    memoryLimit,
    cpu,
    heapUsed,
    heapLimit,
    delayP50,
    delayP99,
    delayMax,
  ];
  const collect = (result: BatchObservableResult) => {
    result.observe(residentMemory, process.memoryUsage.rss());
    const limit = containerMemoryLimit(process.constrainedMemory(), totalmem());
    if (limit !== undefined) result.observe(memoryLimit, limit);
    const usage = process.cpuUsage();
    result.observe(cpu, usage.user / 1e6, { mode: 'user' });
    result.observe(cpu, usage.system / 1e6, { mode: 'system' });
    const heap = getHeapStatistics();
    result.observe(heapUsed, heap.used_heap_size);
    result.observe(heapLimit, heap.heap_size_limit);
    // No sample yet (two collections within one resolution): nothing to say,
    // and Node's empty histogram reports nonsense percentiles.
    if (loop.count > 0) {
      result.observe(delayP50, delaySeconds(loop.percentile(50), resolutionMillis));
      result.observe(delayP99, delaySeconds(loop.percentile(99), resolutionMillis));
      result.observe(delayMax, delaySeconds(loop.max, resolutionMillis));
    }
    loop.reset();
  };
  meter.addBatchObservableCallback(collect, observables);

  return () => {
    meter.removeBatchObservableCallback(collect, observables);
    loop.disable();
  };
}

/**
 * Node records the time between two of its sampling timer's runs, so an idle
 * loop reads as the resolution itself; the delay is what exceeds it.
 */
function delaySeconds(intervalNanos: number, resolutionMillis: number): number {
  // In nanoseconds first, so that the seconds carry no float residue.
  return Math.max(0, intervalNanos - resolutionMillis * 1e6) / 1e9;
}

/**
 * The limit `process.constrainedMemory()` read from the cgroup, or undefined
 * when there is none: then it is 0, undefined (older Node 20 releases) or the
 * cgroup's "max" (2^64 on v2, 2^63 rounded to pages on v1). A limit at or above
 * the machine's memory is not one either. Without a limit there is no series
 * rather than the machine's memory, which would flatten every memory graph.
 */
export function containerMemoryLimit(constrained: number | undefined, machine: number): number | undefined {
  return constrained !== undefined && constrained > 0 && constrained < machine ? constrained : undefined;
}
