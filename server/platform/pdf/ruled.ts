// A centred block of text with a horizontal rule under it whose length follows the text: the whole
// line under the motto, a third of it under the office's name. pdfmake cannot measure text for us,
// so the length comes from table layout: an auto-width table is exactly as wide as its text, and a
// row of equal star columns under it splits that width into equal parts, of which the middle ones
// get a top border.
import type { Content } from 'pdfmake';
import type { CustomTableLayout, TableCell } from 'pdfmake/interfaces.js';

const RULE_WIDTH = 0.75;
const RULE_GAP = 3;

function ruleLayout(): CustomTableLayout {
  return {
    hLineWidth: (i) => (i === 1 ? RULE_WIDTH : 0),
    vLineWidth: () => 0,
    paddingLeft: () => 0,
    paddingRight: () => 0,
    paddingTop: () => 0,
    paddingBottom: (i) => (i === 0 ? RULE_GAP : 0),
  };
}

/**
 * `parts` and `ruled` describe the rule: it is `ruled` parts out of `parts`, centred; (1, 1) is
 * the full width, (3, 1) a third. `parts - ruled` must be even so the rule stays centred.
 */
export function ruledBlock(text: Content, parts: number, ruled: number): Content {
  const side = (parts - ruled) / 2;
  const ruleRow: TableCell[] = [];
  for (let i = 0; i < parts; i++) {
    const underlined = i >= side && i < side + ruled;
    ruleRow.push({ text: '', fontSize: 1, border: [false, underlined, false, false] });
  }
  const textRow: TableCell[] = [{ stack: [text], colSpan: parts, border: [false, false, false, false] }];
  for (let i = 1; i < parts; i++) textRow.push({});
  const box: Content = {
    table: { widths: Array.from({ length: parts }, () => '*'), body: [textRow, ruleRow] },
    layout: ruleLayout(),
  };
  // Equal flexible columns either side centre the auto-width box.
  return {
    columns: [
      { width: '*', text: '' },
      { width: 'auto', stack: [box] },
      { width: '*', text: '' },
    ],
    columnGap: 0,
  };
}
