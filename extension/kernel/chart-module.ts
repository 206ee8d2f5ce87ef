/** The chart module as the kernel sees it: plot.*, the live loss curve, default charts. */
import { defaultChart, LiveLoss, pausedChart, plot } from '../../plot/index';
import type { ChartModule } from './cell-api';

export const charts: ChartModule | null = {
  plot,
  LiveLoss,
  defaultChart,
  pausedChart,
  box: (results) => plot.box(results),
};
