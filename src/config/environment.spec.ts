import { ConfigurationError } from './configuration-error';
import { parseEnvironment } from './environment';

describe('parseEnvironment: HEAP_GROWING_PERCENT', () => {
  const parse = (value?: string) =>
    parseEnvironment(value === undefined ? {} : { HEAP_GROWING_PERCENT: value });

  it('is 15 unless set, and 0 leaves the choice to V8', () => {
    expect(parse().heapGrowingPercent).toBe(15);
    expect(parse('').heapGrowingPercent).toBe(15);
    expect(parse('0').heapGrowingPercent).toBe(0);
    expect(parse('40').heapGrowingPercent).toBe(40);
  });

  it.each(['-1', '1.5', 'lots'])('refuses %j, naming the setting', (value) => {
    expect(() => parse(value)).toThrow(ConfigurationError);
    expect(() => parse(value)).toThrow(/^HEAP_GROWING_PERCENT: must be an integer of at least 0$/);
  });
});
