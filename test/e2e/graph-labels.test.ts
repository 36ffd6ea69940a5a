import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dotToSvg, expressionGraphDot } from '../../src/draw/index.js';
import { traceExpression } from '../../src/index.js';
import { launchChromium } from './browser.js';

/*
 * src/draw/center-text.ts writes a label line of one piece as one <text> carrying the piece's
 * attributes, not a <text> holding one <tspan> (hundreds fewer elements for the page to lay out
 * when a big formula's graph changes). The picture must not change: Chromium draws both forms.
 */
const TEXT_WITH_ONE_PIECE = /<text( xml:space="preserve" text-anchor="middle" x="[^"]*" y="[^"]*"(?: font-family="[^"]*")?)((?: [\w:-]+="[^"]*")+)>([^<]*)<\/text>/g;

/** The form written before: the piece's own attributes on a <tspan> inside the line's <text>. */
const withSpans = (svg: string) => svg.replace(TEXT_WITH_ONE_PIECE, '<text$1><tspan$2>$3</tspan></text>');

describe('graph labels of one piece', () => {
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  beforeAll(async () => { browser = await launchChromium(); }, 120_000);
  afterAll(async () => { await browser?.close(); }, 60_000);

  it('the 20-term formula\'s backward graph: no label holds a lone tspan, and Chromium draws the same pixels as with one', async () => {
    const big = Array.from({ length: 20 }, (_, i) => ['sin(x)*y', 'cos(y)*x', 'x*y', 'exp(x)*y'][i % 4]).join(' + ');
    const trace = traceExpression(big, { x: 1, y: 2 });
    const svg = await dotToSvg(expressionGraphDot(trace, { backward: true, language: 'en' }).dot);
    const before = withSpans(svg);
    const texts = svg.match(/<text /g)?.length ?? 0;
    expect(texts).toBeGreaterThan(trace.nodes.length + trace.edges.length);
    expect(svg).not.toMatch(/<text[^>]*><tspan[^>]*>[^<]*<\/tspan><\/text>/);
    // Every label of one piece was rewritten: the earlier form had one tspan per text.
    expect(before.match(/<tspan/g)?.length).toBe(texts);
    const page = await browser!.context.newPage();
    const draw = async (markup: string) => {
      await page.setContent(`<body style="margin:0;background:#fff">${markup}</body>`);
      return page.locator('svg').screenshot();
    };
    const [now, then] = [await draw(svg), await draw(before)];
    await page.close();
    expect(now.length).toBeGreaterThan(1000);
    expect(now.equals(then)).toBe(true);
  }, 120_000);
});
