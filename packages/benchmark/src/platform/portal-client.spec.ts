import { describeProblem, EventStreamParser, parseBundle, PortalClient } from './portal-client.js';

describe('parseBundle', () => {
  it('reads the fields the benchmark needs and ignores the rest', () => {
    expect(
      parseBundle({
        bundleId: 'b1',
        status: 'complete',
        complete: true,
        completedAt: '2026-11-21T20:00:01.000Z',
        steps: [
          {
            kind: 'registration',
            authority: 'registration',
            state: 'done',
            doneAt: '2026-11-21T20:00:00.500Z',
            personId: 'P1',
          },
        ],
      }),
    ).toEqual({
      bundleId: 'b1',
      status: 'complete',
      complete: true,
      completedAt: '2026-11-21T20:00:01.000Z',
      steps: [{ kind: 'registration', authority: 'registration', state: 'done', doneAt: '2026-11-21T20:00:00.500Z' }],
    });
  });

  it('refuses what is not a bundle', () => {
    expect(parseBundle({ complete: true })).toBeUndefined();
    expect(parseBundle([])).toBeUndefined();
    expect(parseBundle(null)).toBeUndefined();
  });
});

describe('describeProblem', () => {
  it('names the title and the fields of a problem+json answer', () => {
    const body = JSON.stringify({
      type: 'x',
      title: 'Some fields are not valid.',
      status: 422,
      errors: [{ field: '/move/moveInDate', message: 'too late' }],
    });
    expect(describeProblem(422, body)).toBe('422 Some fields are not valid.: /move/moveInDate too late');
    expect(describeProblem(502, 'Bad gateway')).toBe('502 Bad gateway');
  });
});

describe('EventStreamParser', () => {
  it('parses events split across chunks, skips comments, joins multi-line data', () => {
    const events: [string, string][] = [];
    const parser = new EventStreamParser((event, data) => events.push([event, data]));
    parser.push('retry: 3000\n\nid: 1\nevent: sta');
    parser.push('tus\ndata: {"a":1}\n\n: keep-alive\n\n');
    parser.push('data: line1\r\ndata: line2\r\n\r\n');
    expect(events).toEqual([
      ['status', '{"a":1}'],
      ['message', 'line1\nline2'],
    ]);
  });
});

describe('PortalClient', () => {
  it('talks to loopback only', () => {
    expect(() => new PortalClient('http://example.org:8080', { maxSockets: 1, requestTimeoutMs: 1 })).toThrow(
      /loopback/,
    );
    new PortalClient('http://127.0.0.1:8080', { maxSockets: 1, requestTimeoutMs: 1 }).close();
  });
});
