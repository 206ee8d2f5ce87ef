// Copies the declaration files the cells' language service reads at run time into dist/types,
// because the packaged extension has no node_modules:
//   dist/types/lib/            TypeScript's lib files that ES2022 needs (lib.es2022.d.ts and
//                              every lib it references, transitively), not DOM nor later ones
//   dist/types/@types/node/    Node's types (every .d.ts and package.json, for typesVersions)
//   dist/types/undici-types/   imported by @types/node
// extension/language/type-source.ts (bundledTypeSource) mounts them. The folder is rebuilt
// each time (it is small), so nothing stale survives an upgrade.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
export const TYPES_DIR = join(ROOT, 'dist', 'types');

/** lib.es2022.d.ts and the libs it references (`/// <reference lib="es2021" />` → lib.es2021.d.ts). */
function libClosure(libDir, entry = 'lib.es2022.d.ts') {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(libDir, file), 'utf8');
    for (const [, name] of text.matchAll(/\/\/\/\s*<reference\s+lib="([^"]+)"/g)) visit(`lib.${name}.d.ts`);
  };
  visit(entry);
  return [...seen].sort();
}

/** Copies the .d.ts files and package.json of a package folder, keeping its tree. */
function copyDeclarations(from, to) {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    if (entry.isDirectory()) copyDeclarations(source, join(to, entry.name));
    else if (entry.name.endsWith('.d.ts') || entry.name === 'package.json') {
      mkdirSync(to, { recursive: true });
      cpSync(source, join(to, entry.name));
    }
  }
}

export function copyTypes() {
  const libDir = dirname(require.resolve('typescript'));
  const nodeTypes = dirname(require.resolve('@types/node/package.json'));
  const undiciTypes = dirname(createRequire(join(nodeTypes, 'package.json')).resolve('undici-types/package.json'));
  rmSync(TYPES_DIR, { recursive: true, force: true });
  mkdirSync(join(TYPES_DIR, 'lib'), { recursive: true });
  for (const file of libClosure(libDir)) cpSync(join(libDir, file), join(TYPES_DIR, 'lib', file));
  copyDeclarations(nodeTypes, join(TYPES_DIR, '@types', 'node'));
  copyDeclarations(undiciTypes, join(TYPES_DIR, 'undici-types'));
  if (!statSync(join(TYPES_DIR, '@types', 'node', 'index.d.ts')).isFile())
    throw new Error('no @types/node/index.d.ts copied');
}

if (import.meta.url === `file://${process.argv[1]}`) copyTypes();
