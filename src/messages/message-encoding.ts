import { SegmentedMessage } from 'sms-segments-calculator';

export interface MessageEncoding {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
}

/** How a text travels as SMS: its character set and the number of segments it takes. */
export function measureText(text: string | null | undefined): MessageEncoding {
  if (!text) return { encoding: 'GSM-7', segments: 0 };
  const measured = new SegmentedMessage(text, 'auto');
  return {
    encoding: measured.encodingName === 'UCS-2' ? 'UCS-2' : 'GSM-7',
    segments: measured.segmentsCount,
  };
}
