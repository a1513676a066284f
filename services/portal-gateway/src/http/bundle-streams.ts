import type { Request, Response } from 'express';
import type { BundleListener, BundleRepository, StoredBundle } from '../app/ports.js';
import { bundleJson } from './representations.js';

interface Subscriber {
  readonly bundleId: string;
  send(bundle: StoredBundle): void;
  close(): void;
}

export interface BundleStreamsOptions {
  /** How often an open stream re-reads its bundle: changes applied by another replica's consumer. */
  readonly pollMs: number;
  /** Comment lines that keep proxies from closing an idle stream. */
  readonly heartbeatMs?: number;
}

/**
 * The live status streams (Server-Sent Events). A change applied by this
 * process's tracker is pushed at once; since the consumer group spreads the
 * topics' partitions over all replicas, a change may also be applied by
 * another replica, so each stream re-reads its bundle every `pollMs` and
 * sends it when the view changed. Each message is the whole bundle
 * (`event: status`), so a client that missed one loses nothing.
 */
export class BundleStreams implements BundleListener {
  private readonly subscribers = new Set<Subscriber>();
  private closed = false;

  constructor(
    private readonly bundles: BundleRepository,
    private readonly options: BundleStreamsOptions,
  ) {}

  get open(): number {
    return this.subscribers.size;
  }

  bundleChanged(_before: StoredBundle | undefined, after: StoredBundle): void {
    for (const subscriber of this.subscribers) if (subscriber.bundleId === after.bundleId) subscriber.send(after);
  }

  /** Serves one stream until the client goes away or the gateway stops. */
  serve(req: Request, res: Response, initial: StoredBundle): void {
    if (this.closed) {
      res.status(503).end();
      return;
    }
    res.status(200).set({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    let lastSent = '';
    let sequence = 0;
    const write = (bundle: StoredBundle) => {
      const data = JSON.stringify(bundleJson(bundle));
      if (data === lastSent) return;
      lastSent = data;
      sequence += 1;
      res.write(`id: ${sequence}\nevent: status\ndata: ${data}\n\n`);
    };
    res.write('retry: 3000\n\n');
    write(initial);

    let polling = false;
    const poll = setInterval(() => {
      if (polling) return;
      polling = true;
      this.bundles
        .get(initial.bundleId)
        .then((bundle) => {
          if (bundle) write(bundle);
        })
        .catch(() => {
          // A failed read is retried on the next tick; the stream stays open.
        })
        .finally(() => {
          polling = false;
        });
    }, this.options.pollMs);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), this.options.heartbeatMs ?? 15_000);
    const subscriber: Subscriber = {
      bundleId: initial.bundleId,
      send: write,
      close: () => {
        clearInterval(poll);
        clearInterval(heartbeat);
        this.subscribers.delete(subscriber);
        if (!res.writableEnded) res.end();
      },
    };
    this.subscribers.add(subscriber);
    req.on('close', subscriber.close);
    res.on('close', subscriber.close);
  }

  /** Ends every stream (graceful shutdown); clients reconnect to another replica. */
  closeAll(): void {
    this.closed = true;
    for (const subscriber of [...this.subscribers]) subscriber.close();
  }
}
