import { describe, expect, it } from 'vitest';
import { opWord } from '../web/src/i18n.js';
import { messageText } from '../src/messages/catalogue.js';

// The playground's node table names an operation as the Russian solutions and pictures do.
describe("the playground's node table: operation names", () => {
  it('Russian: words for arithmetic, and a function by the name the Russian solutions give it (tg, arcsin, th)', () => {
    expect(opWord('ru', 'add')).toBe('сложение');
    expect(opWord('ru', 'tan')).toBe('tg');
    expect(opWord('ru', 'asin')).toBe('arcsin');
    expect(opWord('ru', 'tanh')).toBe(messageText('ru', 'op.tanh'));
    expect(opWord('ru', 'sinh')).toBe(messageText('ru', 'op.sinh'));
  });

  it("English: the registry's name", () => {
    expect(opWord('en', 'tan')).toBe('tan');
    expect(opWord('en', 'mul')).toBe('mul');
  });
});
