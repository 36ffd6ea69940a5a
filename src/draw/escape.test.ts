import { describe, expect, it } from 'vitest';
import { dotAttributes, htmlLabel } from './dot.js';
import { dotString, escapeHtmlLabel } from './escape.js';

describe('escaping', () => {
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
