/**
 * `lstm-notebook export <notebook.ipynb> --to html [--out <file.html>]`: the notebook as one
 * self-contained page (html.ts), beside the notebook (same name, .html) unless --out says where.
 * Bundled as dist/export.js, which the extension's "Export Notebook as HTML" command also loads
 * (on demand, so the extension's own bundle stays small). Exit 2 on bad usage or a file that is
 * not a notebook, 1 when the page cannot be written; nothing is written then.
 */
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { parseNotebook } from '../kernel/nbformat';
import { optionValue, usageFailure, UsageError } from '../kernel/usage';
import { chartCount, notebookHtml, type ExportNotebook } from './html';

export { notebookHtml };

const USAGE = 'usage: lstm-notebook export <notebook.ipynb> --to html [--out <file.html>]';

interface Args {
  input: string;
  out?: string;
}

function parseArgs(argv: string[]): Args {
  let input: string | undefined;
  let to: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--to' || arg === '--out') {
      const value = optionValue(argv, ++i, arg);
      if (arg === '--to') to = value;
      else out = value;
    } else if (arg.startsWith('--to=')) to = arg.slice(5);
    else if (arg.startsWith('--out=')) out = arg.slice(6);
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}: expected --to or --out`);
    else if (input !== undefined)
      throw new UsageError(`expected one notebook, got ${JSON.stringify(input)} and ${JSON.stringify(arg)}`);
    else input = arg;
  }
  if (input === undefined) throw new UsageError('expected a notebook file');
  if (to === undefined) throw new UsageError('expected --to html (the only format so far)');
  if (to.toLowerCase() !== 'html') throw new UsageError(`--to expects "html", got ${JSON.stringify(to)}`);
  return { input, out };
}

export async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    return usageFailure('lstm-notebook export', USAGE, error);
  }
  const input = resolve(args.input);
  let nb: ExportNotebook;
  try {
    let json: string;
    try {
      json = readFileSync(input, 'utf8');
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      throw new Error(
        code === 'ENOENT'
          ? `expected a notebook file at ${args.input}, but there is none`
          : `cannot read ${args.input}: ${message}`,
        { cause: error },
      );
    }
    nb = parseNotebook(json, args.input, 'this exporter reads');
  } catch (error) {
    console.error(`lstm-notebook export: ${(error as Error).message}. Nothing was written.`);
    return 2;
  }
  const target = resolve(args.out ?? join(dirname(input), `${basename(input, extname(input))}.html`));
  let isFolder = false;
  try {
    isFolder = statSync(dirname(target)).isDirectory();
  } catch {
    // reported below
  }
  if (!isFolder) {
    console.error(
      `lstm-notebook export: cannot write ${args.out ?? target}: expected the folder ${dirname(target)} to exist, but it does not. Nothing was written.`,
    );
    return 2;
  }
  const html = notebookHtml(nb, { title: basename(input) });
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(temporary, html);
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    console.error(`lstm-notebook export: cannot write ${target}: ${(error as Error).message}`);
    return 1;
  }
  const kb = Math.round(Buffer.byteLength(html) / 1024);
  console.error(
    `lstm-notebook export: wrote ${target} (${kb} KB; ${plural(nb.cells.length, 'cell')}, ${plural(chartCount(nb), 'chart')})`,
  );
  return 0;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
