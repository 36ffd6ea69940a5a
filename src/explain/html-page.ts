import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveOptionalFile } from '../optional.js';
import { escapeHtml } from '../escape.js';

/** KaTeX's stylesheet with its WOFF2 fonts inlined, so the page works offline from one file. */
function inlineKatexCss(): string {
  const dist = dirname(resolveOptionalFile('katex', 'dist/katex.min.css'));
  const css = readFileSync(join(dist, 'katex.min.css'), 'utf8');
  return css.replace(/src:url\((fonts\/[^)]+?\.woff2)\) format\("woff2"\)(,url\([^)]+\) format\("[^"]+"\))*/g, (_match, file: string) => {
    const font = readFileSync(join(dist, file)).toString('base64');
    return `src:url(data:font/woff2;base64,${font}) format("woff2")`;
  });
}

const PAGE_CSS = `
body { font-family: system-ui, "DejaVu Sans", sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1d1d1f; }
article { border-top: 2px solid #ddd; margin-top: 2rem; }
nav a { margin-right: 1rem; }
.equation { overflow-x: auto; margin: 0.4rem 0; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.6rem; text-align: center; }
.note { background: #eef6ff; padding: 0.4rem 0.8rem; border-left: 4px solid #3b82f6; }
.warning { background: #fff7e6; padding: 0.4rem 0.8rem; border-left: 4px solid #f59e0b; }
.right { background: #ecfdf3; padding: 0.4rem 0.8rem; border-left: 4px solid #16a34a; }
.wrong { background: #fef2f2; padding: 0.4rem 0.8rem; border-left: 4px solid #dc2626; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
`;

/** A link to the same page in another language: index.ru.html, «Русская версия». */
export interface PageLink {
  readonly href: string;
  readonly language: string;
  readonly label: string;
}

/** One self-contained HTML page: the articles, KaTeX's CSS and fonts inline, no scripts. */
export function htmlPage(
  title: string, articles: readonly string[], language: string, navigation: readonly { id: string; title: string }[] = [], translation?: PageLink,
): string {
  const other = translation === undefined ? '' : `<p class="translation"><a href="${escapeHtml(translation.href)}" hreflang="${escapeHtml(translation.language)}" lang="${escapeHtml(translation.language)}">${escapeHtml(translation.label)}</a></p>`;
  const nav = other + (navigation.length > 1 ? `<nav>${navigation.map((entry) => `<a href="#${escapeHtml(entry.id)}">${escapeHtml(entry.title)}</a>`).join('')}</nav>` : '');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${inlineKatexCss()}</style>
<style>${PAGE_CSS}</style>
</head>
<body>
${nav}
${articles.join('\n')}
</body>
</html>
`;
}
