/**
 * Numeric CSV (RFC 4180 quoting): fields separated by a one-character delimiter, records by
 * \n or \r\n; a field in double quotes may hold delimiters, line breaks and "" for one quote.
 * Lines that are empty (or only spaces) are skipped; spaces around a number are ignored.
 * Every cell below the header must be a decimal number (1, -2.5, .5, 3e-4); anything else,
 * an empty cell included, is an error naming its line, column and text (lines and columns in
 * messages count from 1, as an editor shows them; csvSeries takes a 0-based column index).
 *
 * header: true (first record names the columns), false (columns are named col0, col1, …) or
 * 'auto' (default: the first record is a header when any of its cells is not a number).
 */
import { LstmError, checkInt, checkKeys, describe } from '../errors';

/** Options of parseCsv(): header and delimiter. */
export interface CsvOptions {
  /**
   * true: the first record names the columns; false: columns are named col0, col1, …; 'auto':
   * a header when any cell of the first record is not a number. Default 'auto'.
   */
  header?: boolean | 'auto';
  /** One character, not a quote or line break (default ','). */
  delimiter?: string;
}

/** Parsed numeric CSV: column names and rows of numbers. */
export interface Csv {
  /** The column names, from the header or col0, col1, …. */
  columns: string[];
  /** One array of numbers per record below the header, in file order. */
  rows: number[][];
}

/** Options of csvSeries(): which column, plus parseCsv's header and delimiter. */
export interface CsvSeriesOptions extends CsvOptions {
  /** A column name, or a 0-based column index. */
  column: string | number;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

interface RawRecord {
  /** 1-based line on which the record starts. */
  line: number;
  cells: string[];
}

/** Splits text into records of raw cells, skipping blank lines. */
function records(text: string, delimiter: string): RawRecord[] {
  const out: RawRecord[] = [];
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  const n = text.length;
  while (i < n) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    let quotedCell = false;
    for (;;) {
      const ch = text[i];
      if (i >= n || ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
        cells.push(cell);
        if (i < n) i += ch === '\r' ? 2 : 1;
        line++;
        break;
      }
      if (ch === delimiter) {
        cells.push(cell);
        cell = '';
        quotedCell = false;
        i++;
      } else if (ch === '"' && cell.trim() === '' && !quotedCell) {
        const open = line;
        i++;
        cell = '';
        for (;;) {
          if (i >= n)
            throw new LstmError(
              `parseCsv: line ${open}: a quoted field is never closed; expected a closing " before the end of the text`,
            );
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (text[i] === '\n') line++;
          cell += text[i++];
        }
        quotedCell = true;
        // only spaces may follow the closing quote before the delimiter or line end
        while (text[i] === ' ' || text[i] === '\t') i++;
        const next = text[i];
        if (!(i >= n || next === delimiter || next === '\n' || (next === '\r' && text[i + 1] === '\n'))) {
          throw new LstmError(
            `parseCsv: line ${line}: expected ${JSON.stringify(delimiter)} or a line break after the quoted field "${cell}", got ${JSON.stringify(next)}`,
          );
        }
      } else {
        if (quotedCell)
          throw new LstmError(`parseCsv: line ${line}: unexpected ${JSON.stringify(ch)} after a quoted field`);
        cell += ch;
        i++;
      }
    }
    if (!(cells.length === 1 && cells[0].trim() === '' && !quotedCell)) out.push({ line: start, cells });
  }
  return out;
}

function isNumber(cell: string): boolean {
  return NUMBER.test(cell.trim());
}

/**
 * Parses numeric CSV text (RFC 4180 quoting, one-character delimiter, empty lines skipped):
 * every cell below the header must be a decimal number.
 * @example const { columns, rows } = parseCsv(SEATTLE_WEATHER_CSV);
 * @throws {LstmError} for a cell that is not a number (naming its 1-based line and column), an
 * empty text, records of unequal length, a bad quote, or a bad header or delimiter option.
 */
export function parseCsv(text: string, options: CsvOptions = {}): Csv {
  if (typeof text !== 'string')
    throw new LstmError(`parseCsv: expected the CSV text as a string, got ${describe(text)}`);
  checkKeys('parseCsv', options, ['header', 'delimiter']);
  const header = options.header ?? 'auto';
  if (header !== true && header !== false && header !== 'auto')
    throw new LstmError(`parseCsv: header expected true, false or "auto", got ${describe(header)}`);
  const delimiter = options.delimiter ?? ',';
  if (
    typeof delimiter !== 'string' ||
    delimiter.length !== 1 ||
    delimiter === '"' ||
    delimiter === '\n' ||
    delimiter === '\r'
  ) {
    throw new LstmError(
      `parseCsv: delimiter expected one character other than a quote or line break (such as "," ";" or "\\t"), got ${describe(delimiter)}`,
    );
  }
  const recs = records(text, delimiter);
  if (recs.length === 0) throw new LstmError('parseCsv: expected at least one record, got an empty text');
  const hasHeader = header === 'auto' ? recs[0].cells.some((c) => !isNumber(c)) : header;
  const width = recs[0].cells.length;
  const columns = hasHeader ? recs[0].cells.map((c) => c.trim()) : Array.from({ length: width }, (_, j) => `col${j}`);
  const rows: number[][] = [];
  for (const rec of recs.slice(hasHeader ? 1 : 0)) {
    if (rec.cells.length !== width) {
      throw new LstmError(
        `parseCsv: line ${rec.line}: expected ${width} fields (as ${hasHeader ? 'the header' : 'the first line'} has), got ${rec.cells.length}`,
      );
    }
    rows.push(
      rec.cells.map((cell, j) => {
        if (!isNumber(cell)) {
          throw new LstmError(
            `parseCsv: line ${rec.line}, column ${j + 1} (${JSON.stringify(columns[j])}): expected a number, got ${cell.trim() === '' ? 'an empty cell' : JSON.stringify(cell)}`,
          );
        }
        return Number(cell);
      }),
    );
  }
  return { columns, rows };
}

/**
 * One column of numeric CSV text as a series, e.g. for windows(series, { window }).
 * @example const temps = csvSeries(SEATTLE_WEATHER_CSV, { column: 'temp_max' });
 * @throws {LstmError} for a column name not in the header or an index out of range, and whatever parseCsv refuses.
 */
export function csvSeries(text: string, options: CsvSeriesOptions): Float64Array {
  if (options === null || typeof options !== 'object')
    throw new LstmError(`csvSeries: expected options such as { column: "price" }, got ${describe(options)}`);
  checkKeys('csvSeries', options, ['column', 'header', 'delimiter']);
  const { column, ...rest } = options;
  const csv = parseCsv(text, rest);
  let j: number;
  if (typeof column === 'string') {
    j = csv.columns.indexOf(column);
    if (j < 0)
      throw new LstmError(
        `csvSeries: column ${JSON.stringify(column)} not found; expected one of ${csv.columns.map((c) => JSON.stringify(c)).join(', ')}`,
      );
  } else if (typeof column === 'number') {
    j = checkInt('csvSeries: column', column, 0, csv.columns.length - 1);
  } else {
    throw new LstmError(`csvSeries: column expected a column name or a 0-based index, got ${describe(column)}`);
  }
  return Float64Array.from(csv.rows, (r) => r[j]);
}
