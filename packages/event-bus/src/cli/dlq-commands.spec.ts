import { parsePosition } from './dlq-commands.js';

describe('dead-letter positions', () => {
  it('reads a bare offset as partition 0', () => {
    expect(parsePosition('12')).toEqual({ partition: 0, offset: '12' });
  });

  it('reads partition:offset', () => {
    expect(parsePosition('2:9007199254740993')).toEqual({ partition: 2, offset: '9007199254740993' });
  });

  it.each(['', 'x', '-1', '1:', ':1', '1:2:3'])('rejects %p', (text) => {
    expect(() => parsePosition(text)).toThrow(/not an offset/);
  });
});
