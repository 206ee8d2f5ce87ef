/** The shipped Seattle series: complete, and equal to the source file at spot checks. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCsv } from '../../../../core/data/csv';
import { SEATTLE_TEMP_MAX, SEATTLE_TEMP_MAX_SOURCE, SEATTLE_WEATHER_CSV } from '../../../../core/data/seattle';

test('SEATTLE_TEMP_MAX has one finite value per day of 2012-2015, matching the source CSV', () => {
  const days = (Date.UTC(2015, 11, 31) - Date.UTC(2012, 0, 1)) / 86_400_000 + 1;
  assert.equal(SEATTLE_TEMP_MAX.length, days);
  assert.ok(SEATTLE_TEMP_MAX.every((v) => Number.isFinite(v) && v > -20 && v < 45));
  // First and last rows of vega-datasets 3.2.1 data/seattle-weather.csv, read by hand.
  assert.deepEqual(SEATTLE_TEMP_MAX.slice(0, 4), [12.8, 10.6, 11.7, 12.2]);
  assert.equal(SEATTLE_TEMP_MAX.at(-1), 5.6);
  assert.equal(SEATTLE_TEMP_MAX_SOURCE.licence, 'U.S. Government work, public domain');
  assert.ok(Object.isFrozen(SEATTLE_TEMP_MAX));
});

test('SEATTLE_WEATHER_CSV reads with parseCsv as a user file would: four numeric columns, one row per day', () => {
  const csv = parseCsv(SEATTLE_WEATHER_CSV);
  assert.deepEqual(csv.columns, ['precipitation', 'temp_max', 'temp_min', 'wind']);
  assert.equal(csv.rows.length, SEATTLE_TEMP_MAX.length);
  // 2012-01-02 in vega-datasets 3.2.1: precipitation 10.9, temp_max 10.6, temp_min 2.8, wind 4.5 (read by hand).
  assert.deepEqual(csv.rows[1], [10.9, 10.6, 2.8, 4.5]);
  assert.ok(
    csv.rows.every((row) => row[2] <= row[1]),
    'temp_min never exceeds temp_max',
  );
});
