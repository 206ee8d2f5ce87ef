/**
 * The chart module as the kernel sees it. Kept in one place so the engine builds and runs
 * (text outputs only) in any configuration where the charts are absent.
 */
import type { ChartModule } from './cell-api';

export const charts: ChartModule | null = null;
