import { HelperProcess, helperScript } from '../child.js';

/** The OTLP sink process and the running count of spans it received. */
export class SpanSink {
  private latest = 0;
  private errors = 0;

  private constructor(private readonly helper: HelperProcess<{ url: string }>) {}

  static async start(env: Record<string, string>): Promise<SpanSink> {
    let sink: SpanSink | undefined;
    const pending: { spans: number; errors: number }[] = [];
    const helper = await HelperProcess.start<{ url: string }>(helperScript('platform/otlp-sink.js'), env, (line) => {
      if (typeof line !== 'object' || line === null) return;
      const { spans, errors } = line as { spans?: unknown; errors?: unknown };
      if (typeof spans !== 'number' || typeof errors !== 'number') return;
      if (sink) sink.update(spans, errors);
      else pending.push({ spans, errors });
    });
    sink = new SpanSink(helper);
    for (const p of pending) sink.update(p.spans, p.errors);
    return sink;
  }

  private update(spans: number, errors: number): void {
    this.latest = spans;
    this.errors = errors;
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

  stop(): Promise<void> {
    return this.helper.stop();
  }
}
