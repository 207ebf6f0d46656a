import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { measureText } from './message-encoding';

/** What the full analysis of the calculator says, the reference for every shortcut. */
function reference(text: string): { encoding: string; segments: number } {
  const m = new SegmentedMessage(text, 'auto');
  return { encoding: m.encodingName === 'UCS-2' ? 'UCS-2' : 'GSM-7', segments: m.segmentsCount };
}

const BASIC = 'ABCXYZabcxyz0123456789 \n\r!"#$%&\'()*+,-./:;<=>?@_';
const OTHERS = ['[', '~', '€', 'é', 'ü', '`', '\u00a0', '😀', '中', '\t'];

describe('measureText', () => {
  it('counts nothing for an empty text', () => {
    expect(measureText('')).toEqual({ encoding: 'GSM-7', segments: 0 });
    expect(measureText(null)).toEqual({ encoding: 'GSM-7', segments: 0 });
  });

  it('splits plain GSM-7 texts at 160 septets, then every 153', () => {
    expect(measureText('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1 });
    expect(measureText('a'.repeat(161))).toEqual({ encoding: 'GSM-7', segments: 2 });
    expect(measureText('a'.repeat(306))).toEqual({ encoding: 'GSM-7', segments: 2 });
    expect(measureText('a'.repeat(307))).toEqual({ encoding: 'GSM-7', segments: 3 });
  });

  it('agrees with the full analysis on texts of basic GSM-7 characters of any length', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom(...BASIC), { minLength: 1, maxLength: 700 })
          .map((cs) => cs.join('')),
        (text) => {
          expect(measureText(text)).toEqual(reference(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees with the full analysis when other characters are mixed in', () => {
    fc.assert(
      fc.property(
        fc
          .array(fc.constantFrom(...BASIC, ...OTHERS), { minLength: 1, maxLength: 400 })
          .map((cs) => cs.join('')),
        (text) => {
          expect(measureText(text)).toEqual(reference(text));
        },
      ),
      { numRuns: 300 },
    );
  });
});
