import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const DOCUMENTS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** The targets of a Markdown document's links and images, `[text](target)`, outside code. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]!);
}

describe('links in README.md and docs/', () => {
  it('every relative link points at a file of the repository, and none leaves it', () => {
    const broken: string[] = [];
    for (const document of DOCUMENTS) {
      for (const target of linkTargets(readFileSync(join(ROOT, document), 'utf8'))) {
        if (/^(https?:|mailto:|#)/.test(target)) continue;
        const path = resolve(ROOT, dirname(document), decodeURIComponent(target.split('#')[0]!));
        if (!path.startsWith(`${ROOT}/`) || !existsSync(path)) broken.push(`${document}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('finds the links it checks (the README links to docs/usage.md and shows a picture)', () => {
    const targets = linkTargets(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    expect(targets).toContain('docs/usage.md');
    expect(targets.some((target) => target.endsWith('.png'))).toBe(true);
  });
});
