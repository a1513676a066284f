import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';

/**
 * A stand-in for the OpenTelemetry Collector in tests: an OTLP/HTTP trace
 * receiver on loopback that decodes what the SDK really sends and keeps the
 * spans for assertions. (Tempo and the Collector are not installable on the
 * build machines.)
 *
 * Accepts `POST /v1/traces` as `application/x-protobuf` (an
 * ExportTraceServiceRequest, decoded by hand from the opentelemetry-proto
 * field numbers) or `application/json` (OTLP/JSON), optionally gzip-encoded.
 */

export type ReceivedValue = string | number | boolean | ReceivedValue[] | { [key: string]: ReceivedValue };
export type ReceivedAttributes = Record<string, ReceivedValue>;

export type ReceivedSpanKind = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type ReceivedStatusCode = 'unset' | 'ok' | 'error';

export interface ReceivedLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly attributes: ReceivedAttributes;
}

export interface ReceivedEvent {
  readonly name: string;
  readonly timeUnixNano: bigint;
  readonly attributes: ReceivedAttributes;
}

export interface ReceivedSpan {
  /** service.name of the resource that sent the span. */
  readonly service: string;
  readonly resource: ReceivedAttributes;
  readonly scope: { readonly name: string; readonly version: string };
  /** 32 lower-case hex digits. */
  readonly traceId: string;
  /** 16 lower-case hex digits. */
  readonly spanId: string;
  /** Undefined for a root span. */
  readonly parentSpanId: string | undefined;
  readonly traceState: string;
  readonly name: string;
  readonly kind: ReceivedSpanKind;
  readonly startTimeUnixNano: bigint;
  readonly endTimeUnixNano: bigint;
  readonly attributes: ReceivedAttributes;
  readonly events: readonly ReceivedEvent[];
  readonly links: readonly ReceivedLink[];
  readonly status: { readonly code: ReceivedStatusCode; readonly message: string };
}

/** Thrown when a request body is not a valid export request; answered with 400. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}

const kinds: readonly ReceivedSpanKind[] = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const statusCodes: readonly ReceivedStatusCode[] = ['unset', 'ok', 'error'];
const maxBodyBytes = 32 * 1024 * 1024;

export class OtlpReceiver {
  private server: Server | undefined;
  private received: ReceivedSpan[] = [];
  private waiters = new Set<() => void>();
  /** Requests that could not be decoded, for tests that want to see why spans are missing. */
  readonly errors: Error[] = [];

  /** Listens on 127.0.0.1 and a free port; resolves to the base URL (OTEL_EXPORTER_OTLP_ENDPOINT). */
  async start(): Promise<string> {
    if (this.server) throw new Error('OtlpReceiver already started');
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.errors.push(error instanceof Error ? error : new Error(String(error)));
        if (!res.headersSent) res.writeHead(error instanceof OtlpDecodeError ? 400 : 500);
        res.end();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return this.url();
  }

  /** The base URL; the SDK posts to `${url}/v1/traces`. */
  url(): string {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error('OtlpReceiver not started');
    return `http://127.0.0.1:${address.port}`;
  }

  /** Every span received so far, in arrival order. */
  spans(): ReceivedSpan[] {
    return [...this.received];
  }

  /**
   * Resolves with the received spans as soon as `predicate` holds for them;
   * rejects after `timeoutMs`, listing the span names seen so far.
   */
  async waitForSpans(
    predicate: (spans: readonly ReceivedSpan[]) => boolean,
    timeoutMs = 10_000,
  ): Promise<ReceivedSpan[]> {
    if (predicate(this.received)) return this.spans();
    return new Promise<ReceivedSpan[]>((resolve, reject) => {
      const check = () => {
        if (!predicate(this.received)) return;
        done();
        resolve(this.spans());
      };
      const timer = setTimeout(() => {
        done();
        const names = this.received.map((s) => `${s.service}:${s.name}`).join(', ') || 'none';
        const errors = this.errors.map((e) => e.message).join('; ');
        reject(
          new Error(
            `spans not received within ${timeoutMs} ms; received: ${names}${errors ? `; errors: ${errors}` : ''}`,
          ),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }

  clear(): void {
    this.received = [];
    this.errors.length = 0;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'POST' || path !== '/v1/traces') {
      res.writeHead(404).end();
      return;
    }
    let body = await readBody(req);
    if ((req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') body = gunzipSync(body);
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType === 'application/x-protobuf' || contentType === 'application/protobuf') {
      this.add(decodeExportTraceServiceRequest(body));
      // An empty ExportTraceServiceResponse: full success.
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    } else if (contentType === 'application/json') {
      this.add(decodeJsonExportTraceServiceRequest(body.toString('utf8')));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } else {
      res.writeHead(415).end();
    }
  }

  private add(spans: ReceivedSpan[]): void {
    this.received.push(...spans);
    for (const check of [...this.waiters]) check();
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) throw new OtlpDecodeError(`request body larger than ${maxBodyBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

// --- protobuf (opentelemetry-proto, collector/trace/v1 and trace/v1) ---------

/** Field numbers of the messages read below, from opentelemetry/proto/{trace,common,resource}/v1. */
function fields(bytes: Uint8Array, read: (field: number, wireType: WireType, reader: BinaryReader) => boolean): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (!read(field, wireType, reader)) reader.skip(wireType, field);
  }
}

/** Decodes an ExportTraceServiceRequest into one ReceivedSpan per span. */
export function decodeExportTraceServiceRequest(body: Uint8Array): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  try {
    fields(body, (field, wireType, r) => {
      // repeated ResourceSpans resource_spans = 1;
      if (field !== 1 || wireType !== WireType.LengthDelimited) return false;
      spans.push(...decodeResourceSpans(r.bytes()));
      return true;
    });
  } catch (error) {
    throw new OtlpDecodeError('invalid ExportTraceServiceRequest', { cause: error });
  }
  return spans;
}

function decodeResourceSpans(bytes: Uint8Array): ReceivedSpan[] {
  let resource: ReceivedAttributes = {};
  const scopes: Uint8Array[] = [];
  fields(bytes, (field, wireType, r) => {
    if (wireType !== WireType.LengthDelimited) return false;
    if (field === 1)
      resource = decodeResource(r.bytes()); // Resource resource = 1;
    else if (field === 2)
      scopes.push(r.bytes()); // repeated ScopeSpans scope_spans = 2;
    else return false;
    return true;
  });
  const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : '';
  return scopes.flatMap((scope) => decodeScopeSpans(scope, service, resource));
}

function decodeResource(bytes: Uint8Array): ReceivedAttributes {
  const attributes: ReceivedAttributes = {};
  fields(bytes, (field, wireType, r) => {
    // repeated KeyValue attributes = 1;
    if (field !== 1 || wireType !== WireType.LengthDelimited) return false;
    addKeyValue(attributes, r.bytes());
    return true;
  });
  return attributes;
}

function decodeScopeSpans(bytes: Uint8Array, service: string, resource: ReceivedAttributes): ReceivedSpan[] {
  const scope = { name: '', version: '' };
  const spans: Uint8Array[] = [];
  fields(bytes, (field, wireType, r) => {
    if (wireType !== WireType.LengthDelimited) return false;
    if (field === 1) {
      // InstrumentationScope scope = 1 { string name = 1; string version = 2; }
      fields(r.bytes(), (f, w, s) => {
        if (w !== WireType.LengthDelimited || (f !== 1 && f !== 2)) return false;
        if (f === 1) scope.name = s.string();
        else scope.version = s.string();
        return true;
      });
    } else if (field === 2)
      spans.push(r.bytes()); // repeated Span spans = 2;
    else return false;
    return true;
  });
  return spans.map((span) => decodeSpan(span, service, resource, scope));
}

function decodeSpan(
  bytes: Uint8Array,
  service: string,
  resource: ReceivedAttributes,
  scope: { name: string; version: string },
): ReceivedSpan {
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  let traceState = '';
  let name = '';
  let kind = 0;
  let start = 0n;
  let end = 0n;
  const attributes: ReceivedAttributes = {};
  const events: ReceivedEvent[] = [];
  const links: ReceivedLink[] = [];
  let status: ReceivedSpan['status'] = { code: 'unset', message: '' };
  fields(bytes, (field, wireType, r) => {
    const delimited = [1, 2, 3, 4, 5, 9, 11, 13, 15].includes(field);
    if (delimited && wireType !== WireType.LengthDelimited) return false;
    switch (field) {
      case 1: // bytes trace_id
        traceId = hex(r.bytes());
        return true;
      case 2: // bytes span_id
        spanId = hex(r.bytes());
        return true;
      case 3: // string trace_state
        traceState = r.string();
        return true;
      case 4: // bytes parent_span_id
        parentSpanId = hex(r.bytes());
        return true;
      case 5: // string name
        name = r.string();
        return true;
      case 6: // SpanKind kind
        if (wireType !== WireType.Varint) return false;
        kind = r.int32();
        return true;
      case 7: // fixed64 start_time_unix_nano
        if (wireType !== WireType.Bit64) return false;
        start = BigInt(r.fixed64());
        return true;
      case 8: // fixed64 end_time_unix_nano
        if (wireType !== WireType.Bit64) return false;
        end = BigInt(r.fixed64());
        return true;
      case 9: // repeated KeyValue attributes
        addKeyValue(attributes, r.bytes());
        return true;
      case 11: // repeated Event events
        events.push(decodeEvent(r.bytes()));
        return true;
      case 13: // repeated Link links
        links.push(decodeLink(r.bytes()));
        return true;
      case 15: // Status status
        status = decodeStatus(r.bytes());
        return true;
      default:
        return false;
    }
  });
  return {
    service,
    resource,
    scope,
    traceId,
    spanId,
    parentSpanId: parentSpanId === '' ? undefined : parentSpanId,
    traceState,
    name,
    kind: kinds[kind] ?? 'unspecified',
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes,
    events,
    links,
    status,
  };
}

function decodeEvent(bytes: Uint8Array): ReceivedEvent {
  let name = '';
  let time = 0n;
  const attributes: ReceivedAttributes = {};
  fields(bytes, (field, wireType, r) => {
    if (field === 1 && wireType === WireType.Bit64)
      time = BigInt(r.fixed64()); // fixed64 time_unix_nano
    else if (field === 2 && wireType === WireType.LengthDelimited)
      name = r.string(); // string name
    else if (field === 3 && wireType === WireType.LengthDelimited) addKeyValue(attributes, r.bytes());
    else return false;
    return true;
  });
  return { name, timeUnixNano: time, attributes };
}

function decodeLink(bytes: Uint8Array): ReceivedLink {
  let traceId = '';
  let spanId = '';
  const attributes: ReceivedAttributes = {};
  fields(bytes, (field, wireType, r) => {
    if (wireType !== WireType.LengthDelimited) return false;
    if (field === 1) traceId = hex(r.bytes());
    else if (field === 2) spanId = hex(r.bytes());
    else if (field === 4)
      addKeyValue(attributes, r.bytes()); // repeated KeyValue attributes = 4;
    else return false;
    return true;
  });
  return { traceId, spanId, attributes };
}

function decodeStatus(bytes: Uint8Array): ReceivedSpan['status'] {
  let message = '';
  let code = 0;
  fields(bytes, (field, wireType, r) => {
    if (field === 2 && wireType === WireType.LengthDelimited)
      message = r.string(); // string message = 2;
    else if (field === 3 && wireType === WireType.Varint)
      code = r.int32(); // StatusCode code = 3;
    else return false;
    return true;
  });
  return { code: statusCodes[code] ?? 'unset', message };
}

/** KeyValue { string key = 1; AnyValue value = 2; } */
function addKeyValue(into: Record<string, ReceivedValue>, bytes: Uint8Array): void {
  let key = '';
  let value: ReceivedValue | undefined;
  fields(bytes, (field, wireType, r) => {
    if (wireType !== WireType.LengthDelimited) return false;
    if (field === 1) key = r.string();
    else if (field === 2) value = decodeAnyValue(r.bytes());
    else return false;
    return true;
  });
  if (value !== undefined) into[key] = value;
}

/**
 * AnyValue { oneof value { string string_value = 1; bool bool_value = 2;
 * int64 int_value = 3; double double_value = 4; ArrayValue array_value = 5;
 * KeyValueList kvlist_value = 6; bytes bytes_value = 7; } }
 */
function decodeAnyValue(bytes: Uint8Array): ReceivedValue | undefined {
  let value: ReceivedValue | undefined;
  fields(bytes, (field, wireType, r) => {
    const expected =
      field === 2 || field === 3 ? WireType.Varint : field === 4 ? WireType.Bit64 : WireType.LengthDelimited;
    if (wireType !== expected) return false;
    switch (field) {
      case 1:
        value = r.string();
        return true;
      case 2:
        value = r.bool();
        return true;
      case 3:
        value = int64(r.int64());
        return true;
      case 4:
        value = r.double();
        return true;
      case 5: {
        // ArrayValue { repeated AnyValue values = 1; }
        const values: ReceivedValue[] = [];
        fields(r.bytes(), (f, w, s) => {
          if (f !== 1 || w !== WireType.LengthDelimited) return false;
          const item = decodeAnyValue(s.bytes());
          if (item !== undefined) values.push(item);
          return true;
        });
        value = values;
        return true;
      }
      case 6: {
        // KeyValueList { repeated KeyValue values = 1; }
        const entries: Record<string, ReceivedValue> = {};
        fields(r.bytes(), (f, w, s) => {
          if (f !== 1 || w !== WireType.LengthDelimited) return false;
          addKeyValue(entries, s.bytes());
          return true;
        });
        value = entries;
        return true;
      }
      case 7:
        value = hex(r.bytes());
        return true;
      default:
        return false;
    }
  });
  return value;
}

/** int64 attribute values as numbers while exact, as decimal strings beyond 2^53. */
function int64(value: bigint | string): number | string {
  const big = BigInt(value);
  const asNumber = Number(big);
  return Number.isSafeInteger(asNumber) ? asNumber : big.toString();
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

// --- OTLP/JSON ----------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

function str(value: Json | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** OTLP/JSON ids are hex; base64 is accepted too, as some senders use the protobuf JSON mapping. */
function jsonId(value: Json | undefined, bytes: number): string {
  const text = str(value);
  if (text === '') return '';
  if (new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(text)) return text.toLowerCase();
  return Buffer.from(text, 'base64').toString('hex');
}

function jsonNano(value: Json | undefined): bigint {
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'string' && /^\d+$/.test(value)) return BigInt(value);
  return 0n;
}

function jsonEnum<T>(value: Json | undefined, names: readonly T[], prefix: string): T {
  if (typeof value === 'number') return names[value] ?? (names[0] as T);
  const text = str(value).replace(prefix, '').toLowerCase();
  return names.find((n) => n === text) ?? (names[0] as T);
}

function jsonAttributes(value: Json | undefined): ReceivedAttributes {
  const attributes: ReceivedAttributes = {};
  for (const kv of list(value)) {
    if (!isObject(kv)) continue;
    const decoded = jsonAnyValue(kv.value);
    if (decoded !== undefined) attributes[str(kv.key)] = decoded;
  }
  return attributes;
}

function jsonAnyValue(value: Json | undefined): ReceivedValue | undefined {
  if (!isObject(value)) return undefined;
  if ('stringValue' in value) return str(value.stringValue);
  if ('boolValue' in value) return value.boolValue === true;
  if ('intValue' in value) {
    const v = value.intValue;
    return typeof v === 'number' || typeof v === 'string' ? int64(BigInt(v)) : undefined;
  }
  if ('doubleValue' in value) return typeof value.doubleValue === 'number' ? value.doubleValue : undefined;
  if ('arrayValue' in value && isObject(value.arrayValue)) {
    return list(value.arrayValue.values)
      .map(jsonAnyValue)
      .filter((v): v is ReceivedValue => v !== undefined);
  }
  if ('kvlistValue' in value && isObject(value.kvlistValue)) return jsonAttributes(value.kvlistValue.values);
  if ('bytesValue' in value) return Buffer.from(str(value.bytesValue), 'base64').toString('hex');
  return undefined;
}

/** Decodes an OTLP/JSON ExportTraceServiceRequest. */
export function decodeJsonExportTraceServiceRequest(text: string): ReceivedSpan[] {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch (error) {
    throw new OtlpDecodeError('invalid OTLP/JSON body', { cause: error });
  }
  if (!isObject(root)) throw new OtlpDecodeError('OTLP/JSON body is not an object');
  const spans: ReceivedSpan[] = [];
  for (const rs of list(root.resourceSpans)) {
    if (!isObject(rs)) continue;
    const resource = isObject(rs.resource) ? jsonAttributes(rs.resource.attributes) : {};
    const service = typeof resource['service.name'] === 'string' ? resource['service.name'] : '';
    for (const ss of list(rs.scopeSpans)) {
      if (!isObject(ss)) continue;
      const scope = isObject(ss.scope)
        ? { name: str(ss.scope.name), version: str(ss.scope.version) }
        : { name: '', version: '' };
      for (const s of list(ss.spans)) {
        if (!isObject(s)) continue;
        const parent = jsonId(s.parentSpanId, 8);
        const status = isObject(s.status) ? s.status : {};
        spans.push({
          service,
          resource,
          scope,
          traceId: jsonId(s.traceId, 16),
          spanId: jsonId(s.spanId, 8),
          parentSpanId: parent === '' ? undefined : parent,
          traceState: str(s.traceState),
          name: str(s.name),
          kind: jsonEnum(s.kind, kinds, 'SPAN_KIND_'),
          startTimeUnixNano: jsonNano(s.startTimeUnixNano),
          endTimeUnixNano: jsonNano(s.endTimeUnixNano),
          attributes: jsonAttributes(s.attributes),
          events: list(s.events)
            .filter(isObject)
            .map((e) => ({
              name: str(e.name),
              timeUnixNano: jsonNano(e.timeUnixNano),
              attributes: jsonAttributes(e.attributes),
            })),
          links: list(s.links)
            .filter(isObject)
            .map((l) => ({
              traceId: jsonId(l.traceId, 16),
              spanId: jsonId(l.spanId, 8),
              attributes: jsonAttributes(l.attributes),
            })),
          status: { code: jsonEnum(status.code, statusCodes, 'STATUS_CODE_'), message: str(status.message) },
        });
      }
    }
  }
  return spans;
}
