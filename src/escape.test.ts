import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeXml } from './escape.js';

describe('escaping for XML, SVG and HTML', () => {
  it('turns markup into text', () => {
    expect(escapeXml('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeXml('"quotes" & ampersands \'')).toBe('&quot;quotes&quot; &amp; ampersands &#39;');
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });

  it('drops control characters XML does not allow', () => {
    expect(escapeXml('a\u0000b\u001bc\td')).toBe('abc\td');
  });

  it('escapes HTML the same way, attribute quotes included', () => {
    expect(escapeHtml('<img src=x onerror="alert(\'1\')">&')).toBe('&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;');
    expect(escapeHtml('a\u001bb')).toBe('ab');
  });
});
