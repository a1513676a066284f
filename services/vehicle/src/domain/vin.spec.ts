import { parseVin } from './vin.js';

describe('vehicle identification numbers', () => {
  it('accepts 17 digits and capital letters without I, O and Q', () => {
    expect(parseVin('WVWZZZ1KZ8W012345')).toEqual({ ok: true, vin: 'WVWZZZ1KZ8W012345' });
    expect(parseVin('ABCDEFGHJKLMNPRST')).toEqual({ ok: true, vin: 'ABCDEFGHJKLMNPRST' });
    expect(parseVin('01234567890123456')).toEqual({ ok: true, vin: '01234567890123456' });
  });

  it('upper-cases and trims', () => {
    expect(parseVin('  wvwzzz1kz8w012345 ')).toEqual({ ok: true, vin: 'WVWZZZ1KZ8W012345' });
  });

  it.each([
    ['', 'empty'],
    ['WVWZZZ1KZ8W01234', 'length'], // 16
    ['WVWZZZ1KZ8W0123456', 'length'], // 18
    ['WVWZZZ1KZ8W01234I', 'characters'],
    ['WVWZZZ1KZ8W01234O', 'characters'],
    ['WVWZZZ1KZ8W01234Q', 'characters'],
    ['WVWZZZ1KZ8W01234-', 'characters'],
    ['WVWZZZ1KZ8W0123 5', 'characters'],
    ['WVWZZZ1KZ8W01234Ä', 'characters'],
  ])('rejects %j (%s)', (input, problem) => {
    expect(parseVin(input)).toEqual({ ok: false, problem });
  });
});
