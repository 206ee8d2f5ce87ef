/** The chart module as the kernel sees it: plot.*, the live loss curve, default charts. */
import {
  defaultChart,
  findPattern,
  LiveLoss,
  pausedChart,
  plot,
  receiveSelection,
  selectUnits,
} from '../../plot/index';
import type { ChartModule } from './cell-api';

export const charts: ChartModule | null = {
  plot,
  LiveLoss,
  defaultChart,
  pausedChart,
  receiveSelection,
  selectUnits,
  findPattern,
  box: (results) => plot.box(results),
};
