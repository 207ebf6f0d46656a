import { deeperThan, MAX_BODY_DEPTH } from './body-depth';

/** `levels` objects or arrays, each inside the one before. */
function nested(levels: number, kind: 'object' | 'array' = 'object'): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = kind === 'object' ? { child: value } : [value];
  return value;
}

describe('deeperThan', () => {
  it('counts objects and arrays, not the values in them', () => {
    expect(deeperThan('text', 0)).toBe(false);
    expect(deeperThan(null, 0)).toBe(false);
    expect(deeperThan({ a: 1, b: 'x', c: null }, 0)).toBe(true);
    expect(deeperThan({ a: 1, b: 'x', c: null }, 1)).toBe(false);
    expect(deeperThan({ from: '1', to: ['2', '3'] }, 1)).toBe(true);
    expect(deeperThan({ from: '1', to: ['2', '3'] }, 2)).toBe(false);
  });

  it.each(['object', 'array'] as const)(
    'refuses %s nesting of more than MAX_BODY_DEPTH levels',
    (kind) => {
      expect(deeperThan(nested(MAX_BODY_DEPTH, kind), MAX_BODY_DEPTH)).toBe(false);
      expect(deeperThan(nested(MAX_BODY_DEPTH + 1, kind), MAX_BODY_DEPTH)).toBe(true);
    },
  );

  it('finds the deep branch among wide shallow ones, in objects without a prototype too', () => {
    const wide: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (let i = 0; i < 1000; i++) wide[`k${i}`] = { v: i };
    expect(deeperThan(wide, MAX_BODY_DEPTH)).toBe(false);
    wide.last = nested(MAX_BODY_DEPTH);
    expect(deeperThan(wide, MAX_BODY_DEPTH)).toBe(true);
  });

  it('measures a body nested 100,000 levels deep without overflowing the stack', () => {
    expect(deeperThan(nested(100_000), MAX_BODY_DEPTH)).toBe(true);
    expect(deeperThan(nested(100_000, 'array'), MAX_BODY_DEPTH)).toBe(true);
  });
});
