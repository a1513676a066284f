import type { Request, Response } from 'express';
import type { BundleListener, BundleRepository, StoredBundle } from '../app/ports.js';
import { bundleJson } from './representations.js';

interface Subscriber {
  readonly bundleId: string;
  send(bundle: StoredBundle): void;
  close(): void;
}

export interface BundleStreamsOptions {
  /** How soon an open stream re-reads its bundle after a change: changes applied by another replica's consumer. */
  readonly pollMs: number;
  /** The longest wait between two re-reads while the bundle does not change (default: 8 × pollMs). */
  readonly maxPollMs?: number;
  /** Comment lines that keep proxies from closing an idle stream. */
  readonly heartbeatMs?: number;
}

/**
 * The next wait before an open stream re-reads its bundle: back to `pollMs`
 * after a change, doubled (up to `maxPollMs`) after a read that found none.
 */
export function nextPollDelay(
  current: number,
  changed: boolean,
  options: { pollMs: number; maxPollMs: number },
): number {
  return changed ? options.pollMs : Math.min(Math.max(current, options.pollMs) * 2, options.maxPollMs);
}

/**
 * The live status streams (Server-Sent Events). A change applied by this
 * process's tracker is pushed at once; since the consumer group spreads the
 * topics' partitions over all replicas, a change may also be applied by
 * another replica, so each stream re-reads its bundle — `pollMs` after a
 * change, backing off to `maxPollMs` while nothing changes (a bundle waits
 * for an authority for long stretches, and every re-read is two queries) —
 * and sends it when the view changed. Each message is the whole bundle
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
    const pacing = { pollMs: this.options.pollMs, maxPollMs: this.options.maxPollMs ?? 8 * this.options.pollMs };
    let lastSent = '';
    let sequence = 0;
    let delay = pacing.pollMs;
    let ended = false;
    /** Sends the bundle when its view changed; true when it did. */
    const write = (bundle: StoredBundle): boolean => {
      const data = JSON.stringify(bundleJson(bundle));
      if (data === lastSent) return false;
      lastSent = data;
      sequence += 1;
      res.write(`id: ${sequence}\nevent: status\ndata: ${data}\n\n`);
      return true;
    };
    res.write('retry: 3000\n\n');
    write(initial);

    let poll: NodeJS.Timeout | undefined;
    let reading = false;
    const schedule = () => {
      reading = false;
      if (!ended) poll = setTimeout(reread, delay);
    };
    const reread = () => {
      reading = true;
      this.bundles
        .get(initial.bundleId)
        .then((bundle) => {
          delay = nextPollDelay(delay, bundle ? write(bundle) : false, pacing);
        })
        .catch(() => {
          // A failed read is retried on the next tick; the stream stays open.
        })
        .finally(schedule);
    };
    schedule();
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), this.options.heartbeatMs ?? 15_000);
    const subscriber: Subscriber = {
      bundleId: initial.bundleId,
      send: (bundle) => {
        // A change pushed by this replica's tracker: the next changes of the bundle are likely soon.
        if (!write(bundle)) return;
        delay = pacing.pollMs;
        if (!reading) {
          clearTimeout(poll);
          schedule();
        }
      },
      close: () => {
        ended = true;
        clearTimeout(poll);
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
