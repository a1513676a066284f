import type { Attributes, AttributeValue, Context, HrTime, Link, SpanContext, SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace-base';

/**
 * Span attributes leave the process and land in a trace store with wider
 * access and longer retention than the services' databases. So the rule is an
 * allowlist: a key is exported only when it is known to carry technical data.
 * Everything else — including attributes a future instrumentation version
 * adds — is dropped.
 *
 * Decisions:
 * - Query strings, headers, request metadata, database statements and
 *   connection strings are dropped: they carry form fields, tokens and whole
 *   documents with names and addresses.
 * - Full URLs and targets are kept without query and fragment.
 * - Client/peer IP addresses and user agents are dropped: they identify a
 *   citizen's device.
 * - Person ids (messaging.kafka.message.key, any *.person_id) are dropped. They
 *   are pseudonymous, but a trace store searchable by person id would be an
 *   index of one citizen's dealings with every authority. The bundle's
 *   correlation id already ties one request's spans together.
 * - Exception messages and span status messages are dropped (error texts often
 *   quote the bad input); exception.type is kept, exception.stacktrace keeps
 *   only its stack frames.
 */
export interface AllowlistRules {
  /** Keys exported as they are. */
  readonly exact: readonly string[];
  /** Key prefixes exported as they are, unless `denied` matches first. */
  readonly prefixes: readonly string[];
  /** Exact keys or prefixes (ending in '.') dropped even when allowed above. */
  readonly denied: readonly string[];
  /** Keys whose value is cleaned instead of dropped. */
  readonly sanitized: Readonly<Record<string, (value: AttributeValue) => AttributeValue | undefined>>;
}

/** Drops query string and fragment of a URL or request target. */
export function withoutQuery(value: AttributeValue): AttributeValue | undefined {
  if (typeof value !== 'string') return undefined;
  const cut = value.search(/[?#]/);
  return cut === -1 ? value : value.slice(0, cut);
}

/** Keeps the "    at ..." frames of a stack trace; the lines before them repeat the error message. */
export function stackFramesOnly(value: AttributeValue): AttributeValue | undefined {
  if (typeof value !== 'string') return undefined;
  const frames = value.split('\n').filter((line) => /^\s+at /.test(line));
  return frames.length > 0 ? frames.join('\n') : undefined;
}

export const defaultAllowlist: AllowlistRules = {
  exact: [
    'url.path',
    'url.scheme',
    'url.template',
    'error.type',
    'exception.type',
    'exception.escaped',
    // Both the stable and the older database conventions (mongodb vs mongoose instrumentation).
    'db.system',
    'db.system.name',
    'db.name',
    'db.namespace',
    'db.operation',
    'db.operation.name',
    'db.collection.name',
    'db.mongodb.collection',
    'db.response.status_code',
    'express.name',
    'express.type',
    'otel.status_code',
    'buergerservice.correlation_id',
    'buergerservice.causation_id',
    'buergerservice.event_id',
    'buergerservice.event_type',
    'buergerservice.authority',
    'buergerservice.outcome',
    'buergerservice.attempt',
  ],
  prefixes: ['http.', 'rpc.', 'messaging.', 'network.', 'server.', 'net.'],
  denied: [
    'http.request.header.',
    'http.response.header.',
    'http.user_agent',
    'http.client_ip',
    'rpc.grpc.request.metadata.',
    'rpc.grpc.response.metadata.',
    'rpc.request.metadata.',
    'rpc.response.metadata.',
    'messaging.kafka.message.key',
    'messaging.header.',
    'network.peer.address',
    'net.peer.ip',
    'net.sock.peer.addr',
  ],
  sanitized: {
    'http.url': withoutQuery,
    'http.target': withoutQuery,
    'url.full': withoutQuery,
    'exception.stacktrace': stackFramesOnly,
  },
};

/** A compiled allowlist: `filter` returns the attributes that may leave the process. */
export class AttributeAllowlist {
  private readonly exact: ReadonlySet<string>;

  constructor(
    private readonly rules: AllowlistRules = defaultAllowlist,
    /** Further exact keys a service needs; each should be reviewed like a schema change. */
    extraKeys: readonly string[] = [],
  ) {
    this.exact = new Set([...rules.exact, ...extraKeys]);
  }

  /** The exported value for one attribute, or undefined when it must not leave the process. */
  value(key: string, value: AttributeValue | undefined): AttributeValue | undefined {
    if (value === undefined) return undefined;
    if (this.isDenied(key)) return undefined;
    const sanitize = this.rules.sanitized[key];
    if (sanitize) return sanitize(value);
    if (this.exact.has(key)) return value;
    if (this.rules.prefixes.some((p) => key.startsWith(p))) return value;
    return undefined;
  }

  filter(attributes: Attributes): Attributes {
    const kept: Attributes = {};
    for (const [key, value] of Object.entries(attributes)) {
      const allowed = this.value(key, value);
      if (allowed !== undefined) kept[key] = allowed;
    }
    return kept;
  }

  private isDenied(key: string): boolean {
    if (key.endsWith('person_id') || key.endsWith('.query') || key.startsWith('url.query')) return true;
    return this.rules.denied.some((d) => (d.endsWith('.') ? key.startsWith(d) : key === d));
  }
}

/**
 * Wraps the exporting span processor(s): every span is handed on with its
 * attributes, event attributes and link attributes filtered through the
 * allowlist and without a status message. The live span is left untouched,
 * so in-process code (and the logger's trace ids) sees no difference.
 *
 * Registered even when nothing is exported, so that the SDK still creates
 * real spans and trace ids.
 */
export class AllowlistSpanProcessor implements SpanProcessor {
  constructor(
    private readonly delegates: readonly SpanProcessor[],
    private readonly allowlist: AttributeAllowlist = new AttributeAllowlist(),
  ) {}

  onStart(span: Span, parentContext: Context): void {
    for (const d of this.delegates) d.onStart(span, parentContext);
  }

  onEnding(span: Span): void {
    for (const d of this.delegates) d.onEnding?.(span);
  }

  onEnd(span: ReadableSpan): void {
    if (this.delegates.length === 0) return;
    const filtered = filteredSpan(span, this.allowlist);
    for (const d of this.delegates) d.onEnd(filtered);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.delegates.map((d) => d.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.delegates.map((d) => d.shutdown()));
  }
}

/** A read-only copy of an ended span with only allowlisted attributes. */
export function filteredSpan(span: ReadableSpan, allowlist: AttributeAllowlist): ReadableSpan {
  const attributes = allowlist.filter(span.attributes);
  const events: TimedEvent[] = span.events.map((e) => ({
    name: e.name,
    time: e.time,
    attributes: e.attributes ? allowlist.filter(e.attributes) : undefined,
    droppedAttributesCount: e.droppedAttributesCount,
  }));
  const links: Link[] = span.links.map((l) => ({
    context: l.context,
    attributes: l.attributes ? allowlist.filter(l.attributes) : undefined,
    droppedAttributesCount: l.droppedAttributesCount,
  }));
  const status: SpanStatus = { code: span.status.code };
  const spanContext: SpanContext = span.spanContext();
  const endTime: HrTime = span.endTime;
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => spanContext,
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime,
    status,
    attributes,
    links,
    events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount:
      span.droppedAttributesCount + Object.keys(span.attributes).length - Object.keys(attributes).length,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}
