/**
 * Ends a child process and what it started: on Unix its process group (the child was spawned
 * `detached`, so it leads one), on Windows its tree through taskkill. Used for npm, whose
 * install scripts must not outlive an Interrupt, a restart or the notebook's close.
 */
import { spawn } from 'node:child_process';

export function killProcessTree(pid: number): void {
  try {
    if (process.platform === 'win32') spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true });
    else process.kill(-pid, 'SIGTERM');
  } catch {
    // The group is gone already, or it was never one: the process itself, if still there.
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Gone.
    }
  }
}
