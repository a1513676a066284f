import { randomUUID } from 'node:crypto';
import http from 'node:http';

/**
 * The portal's HTTP API as the load needs it (see the gateway's OpenAPI
 * document): submit a bundle, then follow its status, either through the
 * live stream (Server-Sent Events, as the citizen's page does) or by
 * polling. Only the fields the benchmark reads are typed.
 */

export interface StepStatus {
  readonly kind: string;
  readonly authority: string;
  readonly state: string;
  readonly doneAt?: string;
  readonly updatedAt?: string;
}

export interface BundleStatus {
  readonly bundleId: string;
  readonly status: string;
  readonly complete: boolean;
  readonly completedAt?: string;
  readonly steps: readonly StepStatus[];
}

export type HttpOutcome<T> =
  | { readonly kind: 'ok'; readonly status: number; readonly value: T }
  | { readonly kind: 'refused'; readonly status: number; readonly detail: string }
  | { readonly kind: 'error'; readonly detail: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Reads a Bundle representation; undefined when the JSON does not have its shape. */
export function parseBundle(value: unknown): BundleStatus | undefined {
  if (!isRecord(value) || typeof value.bundleId !== 'string' || typeof value.complete !== 'boolean') return undefined;
  const steps = Array.isArray(value.steps) ? value.steps : [];
  return {
    bundleId: value.bundleId,
    status: optionalString(value.status) ?? '',
    complete: value.complete,
    ...(typeof value.completedAt === 'string' ? { completedAt: value.completedAt } : {}),
    steps: steps.filter(isRecord).map((s) => ({
      kind: optionalString(s.kind) ?? '',
      authority: optionalString(s.authority) ?? '',
      state: optionalString(s.state) ?? '',
      ...(typeof s.doneAt === 'string' ? { doneAt: s.doneAt } : {}),
      ...(typeof s.updatedAt === 'string' ? { updatedAt: s.updatedAt } : {}),
    })),
  };
}

/** A short description of a problem+json answer: title and the fields named. */
export function describeProblem(status: number, body: string): string {
  try {
    const problem: unknown = JSON.parse(body);
    if (isRecord(problem)) {
      const errors = Array.isArray(problem.errors)
        ? problem.errors
            .filter(isRecord)
            .map((e) => `${optionalString(e.field) ?? '?'} ${optionalString(e.message) ?? ''}`.trim())
            .slice(0, 3)
        : [];
      return `${status} ${optionalString(problem.title) ?? ''}${errors.length ? `: ${errors.join('; ')}` : ''}`.trim();
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return `${status} ${body.slice(0, 200)}`.trim();
}

interface RawResponse {
  readonly status: number;
  readonly body: string;
}

/** Parses Server-Sent Events incrementally; calls back per complete event. */
export class EventStreamParser {
  private buffer = '';

  constructor(private readonly onEvent: (event: string, data: string) => void) {}

  push(chunk: string): void {
    this.buffer += chunk.replace(/\r\n/g, '\n');
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) this.onEvent(event, data.join('\n'));
    }
  }
}

export class PortalClient {
  private readonly agent: http.Agent;
  /** Streams stay open for the bundle's life: their own sockets, so they never queue submissions. */
  private readonly streamAgent: http.Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(
    baseUrl: string,
    private readonly options: { readonly maxSockets: number; readonly requestTimeoutMs: number },
  ) {
    const url = new URL(baseUrl);
    if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
      throw new Error(`the benchmark talks to loopback only, not ${url.hostname}`);
    }
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets });
    this.streamAgent = new http.Agent({ keepAlive: false });
  }

  private request(method: string, path: string, token: string, body?: string, headers: Record<string, string> = {}) {
    return new Promise<RawResponse>((resolve, reject) => {
      const req = http.request(
        {
          host: this.host,
          port: this.port,
          method,
          path,
          agent: this.agent,
          timeout: this.options.requestTimeoutMs,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body !== undefined
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
              : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`${method} ${path} timed out after ${this.options.requestTimeoutMs} ms`)),
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  private async json<T>(
    method: string,
    path: string,
    token: string,
    expect: number,
    parse: (value: unknown) => T | undefined,
    body?: string,
    headers?: Record<string, string>,
  ): Promise<HttpOutcome<T>> {
    let response: RawResponse;
    try {
      response = await this.request(method, path, token, body, headers);
    } catch (error) {
      return { kind: 'error', detail: error instanceof Error ? error.message : String(error) };
    }
    if (response.status !== expect) {
      return { kind: 'refused', status: response.status, detail: describeProblem(response.status, response.body) };
    }
    let value: T | undefined;
    try {
      value = parse(JSON.parse(response.body));
    } catch {
      value = undefined;
    }
    if (value === undefined)
      return { kind: 'error', detail: `${method} ${path}: unexpected body ${response.body.slice(0, 200)}` };
    return { kind: 'ok', status: response.status, value };
  }

  /** POST /api/bundles (202 Accepted with the bundle). */
  submit(token: string, body: string, idempotencyKey: string = randomUUID()): Promise<HttpOutcome<BundleStatus>> {
    return this.json('POST', '/api/bundles', token, 202, parseBundle, body, { 'idempotency-key': idempotencyKey });
  }

  /** GET /api/bundles/{id}. */
  get(token: string, bundleId: string): Promise<HttpOutcome<BundleStatus>> {
    return this.json('GET', `/api/bundles/${encodeURIComponent(bundleId)}`, token, 200, parseBundle);
  }

  /** POST /api/bundles/{id}/stream-tickets (201 with the events URL). */
  streamTicket(token: string, bundleId: string): Promise<HttpOutcome<string>> {
    return this.json(
      'POST',
      `/api/bundles/${encodeURIComponent(bundleId)}/stream-tickets`,
      token,
      201,
      (value) => (isRecord(value) && typeof value.eventsUrl === 'string' ? value.eventsUrl : undefined),
      undefined,
      { 'idempotency-key': randomUUID() },
    );
  }

  /**
   * Follows the live status stream until `until` says the bundle is done
   * with, the signal aborts, or the stream ends. Resolves with the last
   * status seen (undefined when none arrived).
   */
  follow(
    eventsUrl: string,
    until: (bundle: BundleStatus) => boolean,
    signal: AbortSignal,
  ): Promise<{
    readonly last: BundleStatus | undefined;
    readonly reason: 'done' | 'aborted' | 'ended' | 'error';
    readonly detail?: string;
  }> {
    const url = new URL(eventsUrl, `http://${this.host}:${this.port}`);
    return new Promise((resolve) => {
      let last: BundleStatus | undefined;
      let settled = false;
      const finish = (reason: 'done' | 'aborted' | 'ended' | 'error', detail?: string) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        req.destroy();
        resolve(detail === undefined ? { last, reason } : { last, reason, detail });
      };
      const onAbort = () => finish('aborted');
      const parser = new EventStreamParser((event, data) => {
        if (event !== 'status') return;
        let bundle: BundleStatus | undefined;
        try {
          bundle = parseBundle(JSON.parse(data));
        } catch {
          bundle = undefined;
        }
        if (!bundle) return;
        last = bundle;
        if (until(bundle)) finish('done');
      });
      const req = http.request(
        {
          host: this.host,
          port: this.port,
          method: 'GET',
          path: `${url.pathname}${url.search}`,
          agent: this.streamAgent,
          headers: { accept: 'text/event-stream' },
        },
        (res) => {
          if (res.statusCode !== 200) {
            finish('error', `stream answered ${res.statusCode}`);
            res.resume();
            return;
          }
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => parser.push(chunk));
          res.on('end', () => finish('ended'));
          res.on('error', (error) => finish('error', error.message));
        },
      );
      req.on('error', (error) => finish('error', error.message));
      if (signal.aborted) finish('aborted');
      else signal.addEventListener('abort', onAbort);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
    this.streamAgent.destroy();
  }
}
