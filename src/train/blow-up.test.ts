import { describe, expect, it } from 'vitest';
import { BlowUpWatch } from './blow-up.js';

describe('BlowUpWatch: the loss far above its start for many steps is a blow-up', () => {
  it('a loss of 736 after a start of 0.69, for 50 observations in a row, has blown up; 49 have not', () => {
    const watch = new BlowUpWatch();
    watch.observe(0.69);
    for (let i = 0; i < 49; i++) expect(watch.observe(736)).toBe(false);
    expect(watch.observe(736)).toBe(true);
    expect(watch.blownUp).toBe(true);
  });

  it('a spike that comes back down starts the count again', () => {
    const watch = new BlowUpWatch({ patience: 3 });
    watch.observe(1);
    expect([20, 20, 0.5, 20, 20].map((loss) => watch.observe(loss))).toEqual([false, false, false, false, false]);
    expect(watch.observe(20)).toBe(true);
  });

  it('a loss that only wobbles near its start never blows up', () => {
    const watch = new BlowUpWatch({ patience: 5 });
    for (let i = 0; i < 1000; i++) expect(watch.observe(0.7 + 0.3 * Math.sin(i))).toBe(false);
  });

  it('NaN or ∞ is a blow-up at once', () => {
    const watch = new BlowUpWatch();
    watch.observe(0.5);
    expect(watch.observe(Number.POSITIVE_INFINITY)).toBe(true);
  });
});
