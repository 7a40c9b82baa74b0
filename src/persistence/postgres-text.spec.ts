import fc from 'fast-check';
import { escapePostgresText, textForStorage, textFromStorage, unescapePostgresText } from './postgres-text';

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

describe(textForStorage.name, () => {
  it('escapes on PostgreSQL and stores verbatim on SQLite, and reads back what it stored', () => {
    const text = 'a\u0000b\u0001';
    expect(textForStorage(true)(text)).toBe(escapePostgresText(text));
    expect(textForStorage(false)(text)).toBe(text);
    for (const postgres of [true, false]) expect(textFromStorage(postgres)(textForStorage(postgres)(text))).toBe(text);
  });
});
