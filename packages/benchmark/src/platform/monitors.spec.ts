import { commandTotals, countsBetween } from './db-counters.js';
import { offsetDelta, summarizeLag } from './kafka-monitor.js';

describe('Kafka offsets', () => {
  it('counts events produced, consumptions committed and dead letters between two snapshots', () => {
    const before = { produced: 100, deadLetters: 1, groups: { vehicle: { committed: 90, lag: 10 } } };
    const after = {
      produced: 160,
      deadLetters: 1,
      groups: { vehicle: { committed: 150, lag: 10 }, document: { committed: 40, lag: 0 } },
    };
    expect(offsetDelta(before, after)).toEqual({ produced: 60, consumed: 100, deadLetters: 0 });
  });

  it('summarises lag samples', () => {
    expect(summarizeLag([0, 4, 2, 0])).toEqual({ max: 4, mean: 1.5, end: 0, samples: 4 });
    expect(summarizeLag([])).toEqual({ max: 0, mean: 0, end: 0, samples: 0 });
  });
});

describe('database command counters', () => {
  it('reads metrics.commands totals of serverStatus (FerretDB and MongoDB report them)', () => {
    const status = {
      metrics: { commands: { insert: { total: 5, failed: 0 }, update: { total: 7, failed: 1 }, odd: 'x' } },
    };
    expect(commandTotals(status)).toEqual({ insert: 5, update: 7 });
    expect(commandTotals({ ok: 1 })).toBeUndefined();
  });

  it('counts writes and reads between two readings', () => {
    const counts = countsBetween(
      { insert: 5, update: 7, find: 1 },
      { insert: 15, update: 27, findAndModify: 3, find: 11, aggregate: 2, serverStatus: 4 },
    );
    expect(counts.writes).toBe(10 + 20 + 3);
    expect(counts.reads).toBe(10 + 2);
    expect(counts.byCommand).toEqual({
      insert: 10,
      update: 20,
      findAndModify: 3,
      find: 10,
      aggregate: 2,
      serverStatus: 4,
    });
  });
});
