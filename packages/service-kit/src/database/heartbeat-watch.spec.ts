import { HeartbeatWatch, heartbeatLimitMs } from './heartbeat-watch.js';

describe('HeartbeatWatch', () => {
  it('reports a heartbeat that has run longer than the limit, with how long', () => {
    const watch = new HeartbeatWatch(30_000);
    watch.started('db:27017', 1_000);
    expect(watch.hung(31_000)).toEqual([]);
    expect(watch.hung(31_001)).toEqual([{ address: 'db:27017', runningMs: 30_001 }]);
  });

  it('forgets a heartbeat once it succeeded or failed', () => {
    const watch = new HeartbeatWatch(10);
    watch.started('a:1', 0);
    watch.started('b:1', 0);
    watch.ended('a:1');
    expect(watch.hung(100).map((h) => h.address)).toEqual(['b:1']);
    watch.ended('b:1');
    expect(watch.hung(100)).toEqual([]);
  });

  it('measures from the latest start of a server: a new heartbeat replaces the ended one', () => {
    const watch = new HeartbeatWatch(50);
    watch.started('a:1', 0);
    watch.ended('a:1');
    watch.started('a:1', 100);
    expect(watch.hung(140)).toEqual([]);
    expect(watch.hung(151)).toEqual([{ address: 'a:1', runningMs: 51 }]);
  });

  it('forgets everything when cleared (a new client)', () => {
    const watch = new HeartbeatWatch(1);
    watch.started('a:1', 0);
    watch.clear();
    expect(watch.hung(1_000)).toEqual([]);
  });

  it('refuses a limit that is not positive', () => {
    expect(() => new HeartbeatWatch(0)).toThrow(RangeError);
    expect(() => new HeartbeatWatch(Number.NaN)).toThrow(RangeError);
  });
});

describe('heartbeatLimitMs', () => {
  it('outlasts a monitoring connection being opened and a streamed hello, with a period to spare', () => {
    // 10 s TCP connect + 10 s handshake, or 10 s awaited hello + 10 s socket timeout; plus 10 s.
    expect(heartbeatLimitMs({ connectTimeoutMS: 10_000, heartbeatFrequencyMS: 10_000 })).toBe(40_000);
    expect(heartbeatLimitMs({ connectTimeoutMS: 500, heartbeatFrequencyMS: 500 })).toBe(2_000);
  });
});
