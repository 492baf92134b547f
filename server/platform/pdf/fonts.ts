// The typefaces a PDF may use, both SIL Open Font License 1.1 and both with a designed glyph for
// every Vietnamese letter and tone mark in regular, bold, italic and bold italic:
//  - Be Vietnam Pro, the app's UI font: the default, so printouts look like the screens they come from;
//  - Tinos, a serif with the metrics of Times New Roman, which Nghị định 30/2020/NĐ-CP prescribes for
//    administrative documents (Times New Roman itself cannot be redistributed).
// The TTF files come from npm packages, never from the host's font directories, so a fresh machine
// renders the same. They are resolved at import time: a missing package fails start-up, not the first
// citizen's receipt.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** File paths per style, in the shape pdfmake's `setFonts` takes. */
export interface PdfFontFiles {
  normal: string;
  bold: string;
  italics: string;
  bolditalics: string;
}

/** The @expo-google-fonts packages ship one full TTF per weight and style, at a fixed path. */
function googleFontFiles(pkg: string, prefix: string): PdfFontFiles {
  const file = (variant: string) => require.resolve(`${pkg}/${variant}/${prefix}_${variant}.ttf`);
  return {
    normal: file('400Regular'),
    bold: file('700Bold'),
    italics: file('400Regular_Italic'),
    bolditalics: file('700Bold_Italic'),
  };
}

/** Keys are the family names documents use in `font:`. */
export const PDF_FONTS = {
  BeVietnamPro: googleFontFiles('@expo-google-fonts/be-vietnam-pro', 'BeVietnamPro'),
  Tinos: googleFontFiles('@expo-google-fonts/tinos', 'Tinos'),
} as const satisfies Record<string, PdfFontFiles>;

export type PdfFontFamily = keyof typeof PDF_FONTS;

/** Used wherever a document does not name a font. */
export const DEFAULT_PDF_FONT: PdfFontFamily = 'BeVietnamPro';

/** Used by the official letter layout, after the decree's Times New Roman. */
export const OFFICIAL_PDF_FONT: PdfFontFamily = 'Tinos';

/** The only local files a render may open; pdfmake's access policy refuses every other path. */
export const PDF_FONT_PATHS: ReadonlySet<string> = new Set(
  Object.values(PDF_FONTS).flatMap((f: PdfFontFiles) => [f.normal, f.bold, f.italics, f.bolditalics]),
);
