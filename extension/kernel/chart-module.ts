/** The chart module as the kernel sees it: plot.*, the live loss curve and gates, default charts. */
import { defaultChart, LiveLoss, pausedChart, plot } from '../../plot/index';
import { LiveGates } from '../../plot/live-gates';
import type { ChartModule } from './cell-api';

export const charts: ChartModule | null = { plot, LiveLoss, LiveGates, defaultChart, pausedChart };
