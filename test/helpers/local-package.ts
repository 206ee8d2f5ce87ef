/** Tiny npm packages made on the spot, for `%npm install` without a network. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A package folder `root/name` with a package.json (version 1.0.0, main index.js unless `manifest` says) and `files`. */
export function localPackage(
  root: string,
  name: string,
  files: Record<string, string>,
  manifest: Record<string, unknown> = {},
): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js', ...manifest }));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

/** The package as npm would download it: `npm pack`'s tarball, in `destination` (the package's folder by default). */
export function packed(dir: string, destination = dir): string {
  const windows = process.platform === 'win32';
  const name = execFileSync(windows ? 'npm.cmd' : 'npm', ['pack', '--silent', '--pack-destination', destination], {
    cwd: dir,
    encoding: 'utf8',
    shell: windows,
  })
    .trim()
    .split('\n')
    .at(-1)!;
  return join(destination, name);
}
