/**
 * What `import … from 'x'` means in a cell. Every import becomes a call to `load(x)`, which
 * returns an ES-module-like namespace (named exports plus `default`):
 *   'lstm-notebook'        the embedded core with the notebook API (plot, display, train…)
 *   'node:fs', 'path', …   Node built-ins
 *   'pkg', './file.js'     packages in the workspace's node_modules and files beside the
 *                          notebook, resolved from the notebook's folder; CommonJS through
 *                          require, ES modules through the real import()
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';

export type Namespace = Record<string, unknown>;

// esbuild turns import() into require() in a CommonJS bundle; a Function keeps the real one.
const nativeImport = new Function('url', 'return import(url)') as (url: string) => Promise<Namespace>;

export class ModuleLoader {
  /** require() resolving from the notebook's folder, also given to cells as `require`. */
  readonly require: NodeJS.Require;

  constructor(
    private readonly notebookDir: string,
    private readonly embedded: Readonly<Record<string, Namespace>>,
  ) {
    this.require = createRequire(join(notebookDir, '__notebook__.js'));
  }

  async load(specifier: unknown): Promise<Namespace> {
    if (typeof specifier !== 'string' || specifier.length === 0) {
      throw new TypeError(
        `import expects a module name such as 'lstm-notebook' or './data.js', got ${typeof specifier === 'string' ? 'an empty string' : typeof specifier}`,
      );
    }
    const embedded = this.embedded[specifier];
    if (embedded) return embedded;
    if (isBuiltin(specifier)) return asNamespace(this.require(specifier));
    const file = this.resolve(specifier);
    if (isEsm(file)) return nativeImport(pathToFileURL(file).href);
    try {
      return asNamespace(this.require(file));
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_REQUIRE_ESM') return nativeImport(pathToFileURL(file).href);
      throw error;
    }
  }

  private resolve(specifier: string): string {
    try {
      return this.require.resolve(specifier);
    } catch (error) {
      // ESM-only packages export only an "import" condition, which require.resolve cannot see.
      const esm = resolveEsmPackage(specifier, this.notebookDir);
      if (esm) return esm;
      const code = (error as { code?: string }).code;
      if (code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
        const where =
          specifier.startsWith('.') || specifier.startsWith('/')
            ? `the file ${resolvePath(this.notebookDir, specifier)}`
            : `a package '${specifier}' in node_modules from ${this.notebookDir} upwards`;
        throw new Error(
          `Cannot find module '${specifier}': expected ${where} (or 'lstm-notebook', or a Node built-in)`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}

/** A CommonJS module seen as a namespace: its properties, and itself as `default`. */
function asNamespace(exports: unknown): Namespace {
  if (exports !== null && (typeof exports === 'object' || typeof exports === 'function')) {
    const record = exports as Namespace;
    const value = record.__esModule ? record.default : exports;
    return { ...record, default: value };
  }
  return { default: exports };
}

function isEsm(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) return readJson(pkg)?.type === 'module';
    if (dirname(dir) === dir) return false;
  }
}

function resolveEsmPackage(specifier: string, from: string): string | null {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const subpath = `.${specifier.slice(name.length)}`;
  for (let dir = from; ; dir = dirname(dir)) {
    const root = join(dir, 'node_modules', name);
    const pkg = readJson(join(root, 'package.json'));
    if (pkg) {
      const target = exportTarget(pkg.exports, subpath) ?? (subpath === '.' ? (pkg.module ?? pkg.main) : null);
      return typeof target === 'string' ? join(root, target) : null;
    }
    if (dirname(dir) === dir) return null;
  }
}

/** The file an `exports` map gives for `subpath` under the import / node / default conditions. */
function exportTarget(exports: unknown, subpath: string): string | null {
  if (typeof exports === 'string') return subpath === '.' ? exports : null;
  if (!exports || typeof exports !== 'object') return null;
  const map = exports as Record<string, unknown>;
  const keys = Object.keys(map);
  const entry =
    keys.length > 0 && keys.every((k) => k.startsWith('.')) ? map[subpath] : subpath === '.' ? map : undefined;
  return pickCondition(entry);
}

function pickCondition(entry: unknown): string | null {
  if (typeof entry === 'string') return entry;
  if (Array.isArray(entry)) return entry.map(pickCondition).find((x) => x) ?? null;
  if (!entry || typeof entry !== 'object') return null;
  const conditions = entry as Record<string, unknown>;
  for (const key of ['import', 'node', 'default']) {
    const found = pickCondition(conditions[key]);
    if (found) return found;
  }
  return null;
}

/** The fields of a package.json the resolver reads; each is checked where it is used. */
interface PackageJson {
  type?: unknown;
  exports?: unknown;
  module?: unknown;
  main?: unknown;
}

function readJson(file: string): PackageJson | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}
