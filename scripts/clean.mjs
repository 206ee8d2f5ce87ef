// `npm run clean`: removes everything the build and the tests write — bundles (dist/), tsc's output
// (out/), the generated embeddings (*.generated.ts), test results and packaged .vsix files — so the
// next build starts from the sources alone. Keeps node_modules/ and .vscode-test/ (the downloaded
// code-server and Node 24: minutes to fetch again, and not build output).
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './code-server/paths.mjs';

// Every *.generated.ts under the source folders, wherever a build step writes one (the data,
// the WebAssembly kernels, the cells' type declarations…): a new step needs no entry here.
const SKIP = new Set(['node_modules', '.git', '.vscode-test', 'dist', 'out', 'test-results']);
function generatedIn(dir) {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIP.has(entry.name) ? [] : generatedIn(path);
    return entry.name.endsWith('.generated.ts') ? [path] : [];
  });
}
const generated = generatedIn('.');
const packages = readdirSync(ROOT).filter((name) => name.endsWith('.vsix'));
for (const path of ['dist', 'out', 'test-results', ...generated, ...packages]) {
  rmSync(join(ROOT, path), { recursive: true, force: true });
  console.log(`clean: ${path}`);
}
