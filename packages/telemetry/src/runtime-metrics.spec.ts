import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { type DataPoint, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { containerMemoryLimit, observeRuntime, runtimeMetricNames } from './runtime-metrics.js';

class TestReader extends MetricReader {
  protected async onShutdown(): Promise<void> {}
  protected async onForceFlush(): Promise<void> {}
}

const MiB = 1024 * 1024;

function points(collected: ResourceMetrics, name: string): DataPoint<number>[] {
  const metric = collected.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []) as DataPoint<number>[];
}

/** The value of a metric's only series, which must carry no attributes. */
function single(collected: ResourceMetrics, name: string): number {
  const found = points(collected, name);
  expect(found).toHaveLength(1);
  expect(found[0]?.attributes).toEqual({});
  return found[0]?.value ?? Number.NaN;
}

function cpuSeconds(collected: ResourceMetrics, mode: 'user' | 'system'): number {
  const point = points(collected, runtimeMetricNames.cpu).find((p) => p.attributes.mode === mode);
  if (!point) throw new Error(`no CPU series for mode ${mode}`);
  return point.value;
}

/** Keeps the event loop (and a CPU) busy, as a synchronous PDF rendering would. */
function blockFor(millis: number): void {
  const until = performance.now() + millis;
  while (performance.now() < until) {
    // busy on purpose
  }
}

const tick = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

describe('runtime metrics', () => {
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });
  let stop: () => void;

  async function collect(): Promise<ResourceMetrics> {
    const { resourceMetrics, errors } = await reader.collect();
    expect(errors).toEqual([]);
    return resourceMetrics;
  }

  beforeAll(() => {
    stop = observeRuntime(provider);
  });
  afterAll(async () => {
    stop();
    await provider.shutdown();
  });

  it('reports resident memory as the process sees it, and the memory limit of a container only', async () => {
    const before = process.memoryUsage().rss;
    const collected = await collect();
    const after = process.memoryUsage().rss;

    const rss = single(collected, runtimeMetricNames.residentMemory);
    expect(rss).toBeGreaterThan(0);
    // Read between the two measurements; allocation in between may move it a little.
    expect(rss).toBeGreaterThanOrEqual(Math.min(before, after) - 8 * MiB);
    expect(rss).toBeLessThanOrEqual(Math.max(before, after) + 8 * MiB);

    const limit = containerMemoryLimit(process.constrainedMemory(), totalmem());
    if (limit === undefined) {
      expect(points(collected, runtimeMetricNames.memoryLimit)).toEqual([]);
    } else {
      expect(single(collected, runtimeMetricNames.memoryLimit)).toBe(limit);
    }
  });

  it('takes a cgroup limit below the machine memory as the container limit, and nothing else', () => {
    const machine = 24 * 1024 * MiB;
    expect(containerMemoryLimit(512 * MiB, machine)).toBe(512 * MiB);
    // No limit: cgroup v2 "max", cgroup v1's unlimited value, 0, or undefined on older Node 20 releases.
    expect(containerMemoryLimit(2 ** 64, machine)).toBeUndefined();
    expect(containerMemoryLimit(2 ** 63 - 4096, machine)).toBeUndefined();
    expect(containerMemoryLimit(0, machine)).toBeUndefined();
    expect(containerMemoryLimit(undefined, machine)).toBeUndefined();
    // A limit the machine cannot give is not the one that bites.
    expect(containerMemoryLimit(machine, machine)).toBeUndefined();
  });

  it("reports the V8 heap in use below the heap's limit", async () => {
    const collected = await collect();
    const used = single(collected, runtimeMetricNames.heapUsed);
    const limit = single(collected, runtimeMetricNames.heapLimit);
    expect(used).toBeGreaterThan(0);
    expect(limit).toBeGreaterThan(used);
    expect(limit).toBe(getHeapStatistics().heap_size_limit);
  });

  it('counts CPU seconds by mode, growing with work', async () => {
    const first = await collect();
    expect(points(first, runtimeMetricNames.cpu).map((p) => p.attributes)).toEqual(
      expect.arrayContaining([{ mode: 'user' }, { mode: 'system' }]),
    );
    expect(points(first, runtimeMetricNames.cpu)).toHaveLength(2);
    const userBefore = cpuSeconds(first, 'user');
    expect(userBefore).toBeGreaterThan(0);
    expect(cpuSeconds(first, 'system')).toBeGreaterThanOrEqual(0);

    blockFor(200);
    const second = await collect();
    expect(cpuSeconds(second, 'user')).toBeGreaterThan(userBefore);
    expect(cpuSeconds(second, 'user')).toBeLessThanOrEqual(process.cpuUsage().user / 1e6);
  });

  it('reports the event-loop delay of the window since the previous collection', async () => {
    await collect(); // starts a fresh window
    await tick(50); // Node records from its first sampling tick after a reset on
    blockFor(500);
    await tick(50);
    const blocked = await collect();
    const p50 = single(blocked, runtimeMetricNames.eventLoopDelayP50);
    const p99 = single(blocked, runtimeMetricNames.eventLoopDelayP99);
    const max = single(blocked, runtimeMetricNames.eventLoopDelayMax);
    expect(p50).toBeGreaterThanOrEqual(0);
    expect(p99).toBeGreaterThanOrEqual(p50);
    expect(max).toBeGreaterThanOrEqual(p99);
    // The stall is seen whole, in seconds, without the sampling interval (10 ms).
    expect(max).toBeGreaterThanOrEqual(0.48);
    expect(max).toBeLessThan(60);

    // The next window no longer holds the stall.
    await tick(100);
    const next = await collect();
    expect(single(next, runtimeMetricNames.eventLoopDelayMax)).toBeLessThan(0.48);
    expect(single(next, runtimeMetricNames.eventLoopDelayP50)).toBeGreaterThanOrEqual(0);
  });

  it('stops observing once unregistered', async () => {
    const other = new TestReader();
    const own = new MeterProvider({ readers: [other] });
    const unregister = observeRuntime(own);
    const collectOwn = async () => (await other.collect()).resourceMetrics;
    await tick(50);
    const names = (await collectOwn()).scopeMetrics.flatMap((s) => s.metrics).map((m) => m.descriptor.name);
    const expected = Object.values(runtimeMetricNames).filter(
      (n) => n !== runtimeMetricNames.memoryLimit || containerMemoryLimit(process.constrainedMemory(), totalmem()),
    );
    expect(names.sort()).toEqual(expected.sort());

    unregister();
    const last = cpuSeconds(await collectOwn(), 'user');
    blockFor(100);
    // The SDK repeats an asynchronous series' last value; no callback moves it any more.
    expect(cpuSeconds(await collectOwn(), 'user')).toBe(last);
    await own.shutdown();
  });
});
