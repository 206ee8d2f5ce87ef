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

export const charts = {
  plot,
  LiveLoss,
  LiveGates,
  defaultChart,
  pausedChart,
  receiveSelection,
  selectUnits,
  findPattern,
};

/** What the charts module gives the kernel: plot/'s own exports, typed as plot/ declares them. */
export type ChartModule = typeof charts;
