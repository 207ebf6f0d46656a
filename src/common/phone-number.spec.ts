import { normalizePhoneNumber } from './phone-number';

describe('normalizePhoneNumber', () => {
  it.each([
    ['+1 (508) 571-0838', '15085710838'],
    ['+15085710838', '15085710838'],
    ['15085710838', '15085710838'],
    ['5085710838', '15085710838'],
    ['(508) 571-0838', '15085710838'],
    ['508.571.0838', '15085710838'],
    ['1-508-571-0838', '15085710838'],
    ['0015085710838', '15085710838'],
    [' +1 508 571 0838 ', '15085710838'],
  ])('reads the US number %s as %s with DEFAULT_COUNTRY=US', (input, expected) => {
    expect(normalizePhoneNumber(input, 'US')).toBe(expected);
  });

  it("expands 382com's 10-digit national numbers with the default country", () => {
    expect(normalizePhoneNumber('3393646057', 'US')).toBe('13393646057');
    expect(normalizePhoneNumber('13393646057', 'US')).toBe('13393646057');
  });

  it.each([
    ['+447700900123', '447700900123'],
    ['+44 7700 900123', '447700900123'],
    ['447700900123', '447700900123'],
    ['+4915112345678', '4915112345678'],
  ])('keeps the country of the international number %s whatever the default', (input, expected) => {
    expect(normalizePhoneNumber(input, 'US')).toBe(expected);
    expect(normalizePhoneNumber(input, 'GB')).toBe(expected);
  });

  it('expands national numbers with the default country it is given', () => {
    expect(normalizePhoneNumber('07700900123', 'GB')).toBe('447700900123');
    expect(normalizePhoneNumber('+15085710838', 'GB')).toBe('15085710838');
  });

  it('keeps short codes and unknown sender ids as their digits', () => {
    expect(normalizePhoneNumber('12345', 'US')).toBe('12345');
    expect(normalizePhoneNumber('911', 'US')).toBe('911');
  });

  it.each([
    '',
    '   ',
    'abc',
    '+',
    '+1',
    '1-800-FLOWERS',
    '1234567890123456',
    '+1 508 571 0838 ext',
  ])('refuses %p', (input) => {
    expect(normalizePhoneNumber(input, 'US')).toBeUndefined();
  });
});
