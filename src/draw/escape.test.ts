import { describe, expect, it } from 'vitest';
import { dotAttributes, htmlLabel } from './dot.js';
import { dotString, escapeHtmlLabel, escapeXml } from './escape.js';

describe('escaping', () => {
  it('turns markup into text for XML and HTML-like labels', () => {
    expect(escapeXml('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeXml('"quotes" & ampersands \'')).toBe('&quot;quotes&quot; &amp; ampersands &#39;');
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });

  it('drops control characters XML does not allow', () => {
    expect(escapeXml('a\u0000b\u001bc\td')).toBe('abc\td');
  });

  it('quotes DOT strings so that quotes, backslash escapes and newlines stay text', () => {
    expect(dotString('say "hi"')).toBe('"say \\"hi\\""');
    expect(dotString('\\N is the node name')).toBe('"\\\\N is the node name"');
    expect(dotString('two\nlines')).toBe('"two\\nlines"');
  });

  it('escapes every piece of an HTML-like label, and the label as an attribute', () => {
    const label = htmlLabel([[{ text: '<b>', bold: true }, { text: '&', color: '"red"' }], 'x < y']);
    expect(label.html).toBe('<B>&lt;b&gt;</B><FONT COLOR="&quot;red&quot;">&amp;</FONT><BR/>x &lt; y');
    expect(dotAttributes({ label, color: 'a"b' })).toBe(' [label=<<B>&lt;b&gt;</B><FONT COLOR="&quot;red&quot;">&amp;</FONT><BR/>x &lt; y>, color="a\\"b"]');
  });
});

describe('HTML-like labels', () => {
  it('double backslashes, which Graphviz would otherwise read as \\G (the graph name) or \\N (the node name)', () => {
    expect(escapeHtmlLabel('a \\N and \\G <b>')).toBe('a \\\\N and \\\\G &lt;b&gt;');
  });
});
