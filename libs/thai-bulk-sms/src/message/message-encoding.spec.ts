import { encodingOf, estimateMessage, gsm7Length } from './message-encoding';

describe('estimateMessage', () => {
  it('counts GSM-7 text: 160 in one part, 153 per part beyond', () => {
    expect(estimateMessage('a'.repeat(160))).toEqual({
      encoding: 'GSM-7',
      length: 160,
      parts: 1,
      creditsPerRecipient: 1,
    });
    expect(estimateMessage('a'.repeat(161)).parts).toBe(2);
    expect(estimateMessage('a'.repeat(306)).parts).toBe(2);
    expect(estimateMessage('a'.repeat(307)).parts).toBe(3);
  });

  it('counts any Thai character as UCS-2: 70 in one part, 67 per part beyond', () => {
    expect(estimateMessage('ส'.repeat(70))).toEqual({
      encoding: 'UCS-2',
      length: 70,
      parts: 1,
      creditsPerRecipient: 1,
    });
    expect(estimateMessage('ส'.repeat(71)).parts).toBe(2);
    expect(estimateMessage('hello ' + 'ส').encoding).toBe('UCS-2');
  });

  it('counts GSM extension characters as two septets', () => {
    expect(gsm7Length('{}')).toBe(4);
    expect(estimateMessage('€'.repeat(80)).parts).toBe(1);
    expect(estimateMessage('€'.repeat(81)).parts).toBe(2);
  });

  it('counts an emoji as two UCS-2 units', () => {
    expect(estimateMessage('😀')).toMatchObject({ encoding: 'UCS-2', length: 2, parts: 1 });
  });

  it('answers 0 parts for an empty text', () => {
    expect(estimateMessage('').parts).toBe(0);
    expect(encodingOf('')).toBe('GSM-7');
  });
});
