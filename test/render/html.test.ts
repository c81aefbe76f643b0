import { describe, expect, it } from 'vitest';
import { escapeHtml, sanitizeHtml, tagNames, textToHtml } from '../../src/render/html.ts';

describe('sanitizeHtml', () => {
  const table: [string, string, string][] = [
    ['keeps allowed tags', '<b>x</b> <em>y</em><br><ul><li>z</li></ul>', '<b>x</b> <em>y</em><br><ul><li>z</li></ul>'],
    ['escapes tags outside the allow-list', '<script>alert(1)</script>', '&lt;script>alert(1)&lt;/script>'],
    ['escapes a bare <', 'a < b', 'a &lt; b'],
    ['escapes comments', '<!-- x -->', '&lt;!-- x -->'],
    ['keeps http(s) links', '<a href="https://x.example/a?b=1&amp;c=2">l</a>', '<a href="https://x.example/a?b=1&amp;c=2">l</a>'],
    ['drops a javascript: href', '<a href="javascript:alert(1)">l</a>', '<a>l</a>'],
    ['drops an entity-obfuscated href', '<a href="jav&#x61;script:x">l</a>', '<a>l</a>'],
    ['drops attributes not allowed on the tag', '<b onclick="x" style="y">t</b>', '<b>t</b>'],
    ['keeps Matrix span colours', "<span data-mx-color='#f00' class=x>t</span>", '<span data-mx-color="#f00">t</span>'],
    ['keeps only language-* classes on code', '<code class="language-ts">a</code><code class="evil">b</code>', '<code class="language-ts">a</code><code>b</code>'],
    ['allows only mxc: images', '<img src="https://x/a.png" alt="a"><img src="mxc://s/id">', '<img alt="a"><img src="mxc://s/id">'],
    ['lower-cases tag names', '<B>x</B>', '<b>x</b>'],
    ['drops stray closing tags', 'a</b>c</div>', 'ac'],
    ['closes what was left open', '<ul><li><b>x', '<ul><li><b>x</b></li></ul>'],
    ['closes inner tags before an outer close', '<p><b>x</p>y', '<p><b>x</b></p>y'],
    ['re-quotes attribute values', `<a href='https://x/"q"'>l</a>`, '<a href="https://x/&#34;q&#34;">l</a>'],
    ['treats a self-closing tag as void', '<br/><hr />x', '<br><hr>x'],
    ['closes a self-closed non-void tag at once', '<b/>x<a href="https://x" />', '<b></b>x<a href="https://x"></a>'],
  ];
  it.each(table)('%s', (_name, input, output) => {
    expect(sanitizeHtml(input)).toBe(output);
  });
});

describe('textToHtml', () => {
  it('escapes text, links http(s) URLs and turns line breaks into <br>', () => {
    expect(textToHtml('a <b> & "c"\nsee https://x.example/c?a=1&b=2.\nftp://no')).toBe(
      'a &lt;b&gt; &amp; &#34;c&#34;<br>see <a href="https://x.example/c?a=1&amp;b=2">https://x.example/c?a=1&amp;b=2</a>.<br>ftp://no',
    );
  });
});

describe('escapeHtml and tagNames', () => {
  it('escapes the five HTML-special characters like Liquid\'s escape', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
  it('lists the tags of an HTML string', () => {
    expect(tagNames('<a href="x">y</a><BR>&lt;i&gt;')).toEqual(['a', 'a', 'br']);
  });
});
