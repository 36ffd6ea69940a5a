import { resolveOptionalFile } from '../optional.js';

/**
 * The font files PNGs are rendered with: DejaVu Sans from the dejavu-fonts-ttf package, loaded
 * explicitly (and system fonts not at all), so a PNG is the same on a fresh CI machine as on a
 * laptop full of fonts.
 */
export function fontFiles(): string[] {
  return ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans-Oblique.ttf', 'DejaVuSans-BoldOblique.ttf'].map((file) =>
    resolveOptionalFile('dejavu-fonts-ttf', `ttf/${file}`),
  );
}
