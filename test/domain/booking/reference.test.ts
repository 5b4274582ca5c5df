import { describe, expect, it } from 'vitest';
import { bookingReference } from '../../../src/domain/booking/reference';

describe('booking references', () => {
  it('are the first eight letters and digits of the id, upper-cased', () => {
    expect(bookingReference('3f2a9c1b-77e4-4d21-9f0e-5b6c7d8e9f00')).toBe('3F2A9C1B');
    expect(bookingReference('ab-cd-ef-12-34-56')).toBe('ABCDEF12');
    expect(bookingReference('bk_1')).toBe('BK1');
  });
});
