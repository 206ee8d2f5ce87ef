/** The chart module as the kernel sees it: plot.*, the live loss curve and gates, default charts. */
import {
  defaultChart,
  findPattern,
  LiveLoss,
  pausedChart,
  plot,
  receiveSelection,
  selectUnits,
} from '../../plot/index';
import { LiveGates } from '../../plot/live-gates';
import type { ChartModule } from './cell-api';

export const charts: ChartModule | null = {
  plot,
  LiveLoss,
  LiveGates,
  defaultChart,
  pausedChart,
  receiveSelection,
  selectUnits,
  findPattern,
  box: (results) => plot.box(results),
};
