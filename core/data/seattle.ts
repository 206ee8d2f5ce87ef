import { csvSeries } from './csv';
import { SEATTLE_WEATHER_CSV_TEXT } from './seattle-weather.generated';

/**
 * Daily weather in Seattle, WA, one row per day from 2012-01-01 to 2015-12-31 (1,461 rows, none
 * missing), as CSV text with the columns precipitation (mm), temp_max (°C), temp_min (°C) and
 * wind (m/s). The data file is core/data/seattle-weather.csv; seattle-weather.md beside it gives
 * its source and licence. The build embeds it (scripts/build-data.mjs), so the core does no IO.
 * Read it as a notebook reads its own data: `parseCsv(SEATTLE_WEATHER_CSV)` or `csvSeries(…)`.
 */
export const SEATTLE_WEATHER_CSV: string = SEATTLE_WEATHER_CSV_TEXT;

/** The temp_max column of SEATTLE_WEATHER_CSV: the maximum temperature (°C) of each day. */
export const SEATTLE_TEMP_MAX: readonly number[] = Object.freeze(
  Array.from(csvSeries(SEATTLE_WEATHER_CSV, { column: 'temp_max' })),
);

/** Where SEATTLE_TEMP_MAX comes from, for notebooks to cite. */
export const SEATTLE_TEMP_MAX_SOURCE = Object.freeze({
  title: 'Daily maximum temperature, Seattle, WA, 2012-2015',
  firstDate: '2012-01-01',
  lastDate: '2015-12-31',
  unit: '°C',
  source: 'NOAA National Climatic Data Center, via vega-datasets 3.2.1 (data/seattle-weather.csv, column temp_max)',
  licence: 'U.S. Government work, public domain',
});
