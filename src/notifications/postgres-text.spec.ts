import fc from 'fast-check';
import { escapePostgresText, unescapePostgresText } from './postgres-text';

describe(escapePostgresText.name, () => {
  it('removes every null byte and round-trips any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('\u0000', '\u0001', '0', 'a', 'é', '🎉') }), (text) => {
        const escaped = escapePostgresText(text);
        expect(escaped.includes('\u0000')).toBe(false);
        expect(unescapePostgresText(escaped)).toBe(text);
      }),
    );
  });

  it('leaves ordinary text and null alone', () => {
    expect(escapePostgresText('<b>Approved</b> 🎉')).toBe('<b>Approved</b> 🎉');
    expect(escapePostgresText(null)).toBeNull();
    expect(escapePostgresText('line\u0000with null byte')).toBe('line\u00010with null byte');
  });
});
