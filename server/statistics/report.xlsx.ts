// The periodic report as a workbook: a sheet per section, its sentences on top and its tables under
// them with a totals row, numbers as numbers. Small (tens of rows), so built in memory.
import ExcelJS from 'exceljs';
import { safeSheetName } from '../exports/index.js';
import type { PeriodicReport } from './report.content.js';

export async function periodicReportWorkbook(report: PeriodicReport, office: string, issuedAt: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = office;
  workbook.created = issuedAt;
  workbook.modified = issuedAt;
  report.sections.forEach((section, index) => {
    const sheet = workbook.addWorksheet(safeSheetName(`${index + 1}. ${section.shortName}`));
    sheet.getColumn(1).width = 40;
    for (let c = 2; c <= 6; c++) sheet.getColumn(c).width = 16;
    const title = sheet.addRow([report.subject]);
    title.font = { bold: true, size: 13 };
    sheet.addRow([section.heading]).font = { bold: true };
    for (const p of section.paragraphs) {
      const row = sheet.addRow([p]);
      sheet.mergeCells(row.number, 1, row.number, 6);
      row.alignment = { wrapText: true, vertical: 'top' };
      row.height = 45;
    }
    for (const table of section.tables) {
      sheet.addRow([]);
      sheet.addRow([table.title]).font = { bold: true, italic: true };
      sheet.addRow(table.headers).font = { bold: true };
      for (const r of table.rows) sheet.addRow([r.label, ...r.values]);
      if (table.totals) sheet.addRow([report.totalLabel, ...table.totals]).font = { bold: true };
    }
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
