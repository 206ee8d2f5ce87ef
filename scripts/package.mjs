// `npm run package`: a platform-independent .vsix — the production bundles, manifest, README,
// CHANGELOG, licence and icon, and the .d.ts files the language worker reads (dist/types); nothing
// else (.vscodeignore).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './code-server/paths.mjs';

export function packageVsix() {
  const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const out = join(ROOT, `${name}-${version}.vsix`);
  execFileSync(process.execPath, [join(ROOT, 'esbuild.mjs'), '--production'], { cwd: ROOT, stdio: 'inherit' });
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'),
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '-o',
      out,
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) packageVsix();
