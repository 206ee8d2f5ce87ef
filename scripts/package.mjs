// `npm run package`: a platform-independent .vsix — the production bundles, manifest, README,
// CHANGELOG, licence and icon, the .d.ts files the language worker reads (dist/types), and the
// TypeScript server plugin; nothing else (.vscodeignore).
//
// The plugin must sit at node_modules/lstm-notebook-tsserver-plugin inside the installed
// extension (tsserver finds plugins by package name from the extension's folder), but vsce
// --no-dependencies never packs node_modules — and with dependencies it would pack what npm
// installed, not what esbuild built. So it is added to the archive after vsce has written it.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { ROOT } from './code-server/paths.mjs';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
export const TSSERVER_PLUGIN_FILES = ['index.js', 'package.json'].map(
  (file) => `node_modules/${manifest.contributes.typescriptServerPlugins[0].name}/${file}`,
);

export async function packageVsix() {
  const { name, version } = manifest;
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
  const zip = await JSZip.loadAsync(readFileSync(out));
  for (const file of TSSERVER_PLUGIN_FILES)
    zip.file(`extension/${file}`, readFileSync(join(ROOT, file)), { createFolders: false });
  writeFileSync(out, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) await packageVsix();
