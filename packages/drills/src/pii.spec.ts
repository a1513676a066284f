import { demoPopulation } from '@buergerservice/demo-data';
import { personalDataNeedles, scanLog } from './pii.js';

describe('personal-data scan', () => {
  const [anna] = demoPopulation({ persons: 1, vehicles: 0 }).persons;
  if (!anna) throw new Error('no demo citizen');
  const needles = personalDataNeedles([anna], ['Karl-Liebknecht-Straße']);

  it('finds a name, a birth date and a street in log lines', () => {
    const log = [
      '{"level":"info","personId":"P0000001","msg":"move recorded"}',
      `{"level":"info","holder":"${anna.givenNames} ${anna.familyName}","msg":"oops"}`,
      `{"level":"debug","dob":"${anna.dateOfBirth}"}`,
      '{"level":"info","street":"Karl-Liebknecht-Straße"}',
    ].join('\n');
    const hits = scanLog('registration', log, needles);
    expect(new Set(hits.map((h) => h.source))).toEqual(
      new Set(['registration log line 2', 'registration log line 3', 'registration log line 4']),
    );
    expect(new Set(hits.map((h) => h.kind))).toEqual(new Set(['name', 'birth date', 'street']));
  });

  it('passes a log that carries only ids', () => {
    expect(
      scanLog('vehicle', '{"personId":"P0000001","plate":"L-AM 2026","msg":"holder address updated"}', needles),
    ).toEqual([]);
  });
});
