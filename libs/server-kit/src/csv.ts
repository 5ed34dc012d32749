import { neutralizeFormula } from '@pipeline/domain';
import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | null | undefined;

// Every CSV the services write goes through here, so no cell a user typed reaches a spreadsheet as a formula.
export function writeCsv(columns: string[], rows: CsvCell[][]): string {
  return stringify(
    rows.map((row) => row.map((cell) => (typeof cell === 'string' ? neutralizeFormula(cell) : (cell ?? '')))),
    { header: true, columns: columns.map(neutralizeFormula) },
  );
}
