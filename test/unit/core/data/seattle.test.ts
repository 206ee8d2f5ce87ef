/** The shipped Seattle series: complete, and equal to the source file at spot checks. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SEATTLE_TEMP_MAX, SEATTLE_TEMP_MAX_SOURCE } from '../../../../core/data/seattle';

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
