import { SegmentedMessage } from 'sms-segments-calculator';

export interface MessageEncoding {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
}

/** The plain-ASCII characters of the GSM-7 basic set: one septet each, none needing an escape. */
const GSM7_BASIC_ASCII = /^[A-Za-z0-9 \n\r!"#$%&'()*+,\-./:;<=>?@_]*$/;

/** How a text travels as SMS: its character set and the number of segments it takes. */
export function measureText(text: string | null | undefined): MessageEncoding {
  if (!text) return { encoding: 'GSM-7', segments: 0 };
  // Most texts are made of these alone; then counting is arithmetic (160 septets in a single
  // segment, 153 a segment once split), without the full analysis of every character.
  if (GSM7_BASIC_ASCII.test(text)) {
    return { encoding: 'GSM-7', segments: text.length <= 160 ? 1 : Math.ceil(text.length / 153) };
  }
  const measured = new SegmentedMessage(text, 'auto');
  return {
    encoding: measured.encodingName === 'UCS-2' ? 'UCS-2' : 'GSM-7',
    segments: measured.segmentsCount,
  };
}
