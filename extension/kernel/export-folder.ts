/**
 * Writes an exported project (exportPyTorch) into a folder: relative paths resolve from the
 * notebook's folder, as a cell's own file paths do; a folder that exists and is not empty is
 * written into only with `overwrite: true`, so an export never silently replaces someone's work.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { LstmError } from '../../core/index';
import { describe } from '../../core/host';

export function writeFolder(
  what: string,
  notebookDir: string,
  dir: unknown,
  overwrite: unknown,
  files: Record<string, string | Uint8Array>,
): { dir: string; files: string[] } {
  if (typeof dir !== 'string' || dir === '')
    throw new LstmError(`${what}: dir expected the folder to write into (a path), got ${describe(dir)}`);
  if (overwrite !== undefined && typeof overwrite !== 'boolean')
    throw new LstmError(`${what}: overwrite expected true or false, got ${describe(overwrite)}`);
  const target = isAbsolute(dir) ? dir : resolve(notebookDir, dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new LstmError(`${what}: ${target} exists and is not a folder`);
    const present = readdirSync(target);
    if (present.length > 0 && overwrite !== true)
      throw new LstmError(
        `${what}: ${target} is not empty (${present.length} entr${present.length === 1 ? 'y' : 'ies'}); pass overwrite: true to write into it`,
      );
  }
  for (const [path, content] of Object.entries(files)) {
    const file = join(target, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return { dir: target, files: Object.keys(files) };
}
