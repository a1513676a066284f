import { HelperProcess, helperScript } from '../child.js';
import type { SpanStat } from './span-summary.js';

interface SinkLine {
  spans?: unknown;
  errors?: unknown;
  summary?: unknown;
}

/** The OTLP sink process: the running count of spans it received, and at the end where their time went. */
export class SpanSink {
  private latest = 0;
  private errors = 0;
  private summary: SpanStat[] = [];

  private constructor(private readonly helper: HelperProcess<{ url: string }>) {}

  static async start(env: Record<string, string>): Promise<SpanSink> {
    let sink: SpanSink | undefined;
    const pending: SinkLine[] = [];
    const helper = await HelperProcess.start<{ url: string }>(helperScript('platform/otlp-sink.js'), env, (line) => {
      if (typeof line !== 'object' || line === null) return;
      if (sink) sink.update(line as SinkLine);
      else pending.push(line as SinkLine);
    });
    sink = new SpanSink(helper);
    for (const line of pending) sink.update(line);
    return sink;
  }

  private update(line: SinkLine): void {
    if (typeof line.spans === 'number') this.latest = line.spans;
    if (typeof line.errors === 'number') this.errors = line.errors;
    // Our own child's output (span-summary.ts shapes it).
    if (Array.isArray(line.summary)) this.summary = line.summary as SpanStat[];
  }

  /** OTEL_EXPORTER_OTLP_ENDPOINT for the services. */
  get url(): string {
    return this.helper.first.url;
  }

  get pid(): number {
    return this.helper.pid;
  }

  /** Spans received so far (updated every second). */
  get spans(): number {
    return this.latest;
  }

  /** Export requests the receiver could not decode. */
  get decodeErrors(): number {
    return this.errors;
  }

  /** Stops the sink; resolves to the span names with the most total time. */
  async stop(): Promise<SpanStat[]> {
    await this.helper.stop();
    return this.summary;
  }
}
