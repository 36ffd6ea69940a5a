/*
 * The page's own script is built without KaTeX (web/vite.config.ts points `katex` here): the
 * page typesets only after katex.js has brought it (katex-page.ts); the workers bundle their own.
 */
// eslint-disable-next-line no-restricted-exports -- stands in for the package's default export, which render-html.ts reads
export default undefined;
