import { demoPopulation } from '@buergerservice/demo-data';
import { type Needle, personalDataNeedles, scanLog, scanText } from './pii.js';

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

describe('the scan of a text', () => {
  /** What the scan must find: each needle once, at its first occurrence, in the order of the needles. */
  function naive(source: string, text: string, needles: readonly Needle[]) {
    return needles.flatMap((needle) => {
      const at = text.indexOf(needle.text);
      return at < 0
        ? []
        : [
            {
              source,
              kind: needle.kind,
              needle: needle.text,
              excerpt: text.slice(Math.max(0, at - 80), at + needle.text.length + 80),
            },
          ];
    });
  }

  it('finds what a search per needle finds, also overlapping needles with one prefix and repeated ones', () => {
    const needles: Needle[] = [
      { kind: 'name', text: 'Müller' },
      { kind: 'name', text: 'Anna Müller' },
      { kind: 'street', text: 'Müllerstraße' },
      { kind: 'birth date', text: '1984-02-29' },
      { kind: 'street', text: 'Karl-Liebknecht-Straße' },
    ];
    const texts = [
      'moved: Anna Müller, born 1984-02-29, now Müllerstraße 3; Müller again',
      'Karl-Liebknecht-Straße and Karl-Liebknecht-Straße',
      'only ids: P0000001 m-77',
      'Mül',
      '',
    ];
    for (const text of texts) expect(scanText('t', text, needles)).toEqual(naive('t', text, needles));
    expect(scanText('t', texts[0] ?? '', needles).map((h) => h.needle)).toEqual([
      'Müller',
      'Anna Müller',
      'Müllerstraße',
      '1984-02-29',
    ]);
  });
});
