/**
 * parseCsv and csvSeries: headers, quoting, blank lines, line endings, and errors that name
 * the line, column and text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvSeries, parseCsv } from '../../../../core/data/csv';

test('header auto-detected, numbers parsed, blank lines skipped', () => {
  const csv = parseCsv('time,value\n0,1.5\n\n1, -2e-1 \n   \n2,.5\n');
  assert.deepEqual(csv.columns, ['time', 'value']);
  assert.deepEqual(csv.rows, [
    [0, 1.5],
    [1, -0.2],
    [2, 0.5],
  ]);
});

test('no header when the first line is numeric, or when told', () => {
  assert.deepEqual(parseCsv('1,2\n3,4'), {
    columns: ['col0', 'col1'],
    rows: [
      [1, 2],
      [3, 4],
    ],
  });
  assert.deepEqual(parseCsv('1,2\n3,4', { header: true }), { columns: ['1', '2'], rows: [[3, 4]] });
  assert.throws(
    () => parseCsv('a,b\n3,4', { header: false }),
    /line 1, column 1 \("col0"\): expected a number, got "a"/,
  );
});

test('quoted fields: delimiters, doubled quotes and line breaks inside; quoted numbers', () => {
  const text = '"date, local","say ""hi""\nthere",x\r\n"1","2", 3\r\n4,5,6\r\n';
  const csv = parseCsv(text);
  assert.deepEqual(csv.columns, ['date, local', 'say "hi"\nthere', 'x']);
  assert.deepEqual(csv.rows, [
    [1, 2, 3],
    [4, 5, 6],
  ]);
});

test('other delimiters and a byte-order mark', () => {
  assert.deepEqual(parseCsv('\ufeffa;b\n1;2', { delimiter: ';' }), { columns: ['a', 'b'], rows: [[1, 2]] });
  assert.deepEqual(parseCsv('a\tb\n1\t2', { delimiter: '\t' }).rows, [[1, 2]]);
});

test('errors name line, column and the text found', () => {
  assert.throws(
    () => parseCsv('a,b\n1,2\n3,abc\n'),
    /parseCsv: line 3, column 2 \("b"\): expected a number, got "abc"/,
  );
  assert.throws(() => parseCsv('a,b\n1,\n'), /line 2, column 2 \("b"\): expected a number, got an empty cell/);
  assert.throws(() => parseCsv('a,b\n"1\n",2\n1,1,1\n'), /line 4: expected 2 fields \(as the header has\), got 3/);
  assert.throws(() => parseCsv('a,b\n"1,2\n'), /line 2: a quoted field is never closed/);
  assert.throws(
    () => parseCsv('a,b\n"1"x,2\n'),
    /line 2: expected "," or a line break after the quoted field "1", got "x"/,
  );
  assert.throws(() => parseCsv('a,b\n1,0x10\n'), /got "0x10"/);
  assert.throws(() => parseCsv('\n \n'), /expected at least one record, got an empty text/);
  assert.throws(() => parseCsv('a', { delimiter: ',,' }), /delimiter expected one character.*got ",,"/);
  assert.throws(() => parseCsv('a', { header: 'yes' as never }), /header expected true, false or "auto", got "yes"/);
  assert.throws(() => parseCsv(42 as never), /expected the CSV text as a string, got 42/);
});

test('csvSeries by name and by index', () => {
  const text = 'month,passengers\n1,112\n2,118\n3,132\n';
  assert.deepEqual(Array.from(csvSeries(text, { column: 'passengers' })), [112, 118, 132]);
  assert.deepEqual(Array.from(csvSeries(text, { column: 0 })), [1, 2, 3]);
  assert.ok(csvSeries(text, { column: 1 }) instanceof Float64Array);
  assert.throws(
    () => csvSeries(text, { column: 'Passengers' }),
    /column "Passengers" not found; expected one of "month", "passengers"/,
  );
  assert.throws(() => csvSeries(text, { column: 2 }), /csvSeries: column: expected an integer in \[0, 1\], got 2/);
  assert.throws(
    () => csvSeries(text, { column: true as never }),
    /column expected a column name or a 0-based index, got true/,
  );
});
