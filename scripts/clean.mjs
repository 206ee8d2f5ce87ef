// `npm run clean`: removes everything the build and the tests write — bundles (dist/), tsc's output
// (out/), the generated embeddings (*.generated.ts), test results and packaged .vsix files — so the
// next build starts from the sources alone. Keeps node_modules/ and .vscode-test/ (the downloaded
// code-server and Node 24: minutes to fetch again, and not build output).
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './code-server/paths.mjs';

const generated = ['core/data', 'core/kernels/wasm'].flatMap((dir) =>
  readdirSync(join(ROOT, dir))
    .filter((name) => name.endsWith('.generated.ts'))
    .map((name) => join(dir, name)),
);
const packages = readdirSync(ROOT).filter((name) => name.endsWith('.vsix'));
for (const path of ['dist', 'out', 'test-results', ...generated, ...packages]) {
  rmSync(join(ROOT, path), { recursive: true, force: true });
  console.log(`clean: ${path}`);
}
