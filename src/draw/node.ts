// The Node-only part of the pictures: PNG (resvg, a native addon) and picture files.
export { svgToPng, type PngOptions } from './png.js';
export { formatOfFile, renderPicture } from './files.js';
