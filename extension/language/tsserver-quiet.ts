/**
 * What the TypeScript server plugin (tsserver-plugin.ts) does, apart from tsserver: which files
 * are cells of which notebook, and a language service that answers nothing for the cells of the
 * notebooks our service serves.
 */
import type * as ts from 'typescript';
import type { TsserverPluginConfiguration } from '../../protocol/language';

/**
 * The notebook path of a cell as tsserver names it, or undefined for any other file. VS Code
 * names in-memory documents `^/<scheme>/<authority or ts-nul-authority>/<path>#<fragment>`,
 * and a cell's fragment tells it apart from its notebook's other cells.
 */
export function notebookPathOfCell(fileName: string): string | undefined {
  const prefix = '^/vscode-notebook-cell/';
  const name = fileName.replace(/\\/g, '/');
  if (!name.startsWith(prefix)) return undefined;
  const afterAuthority = name.indexOf('/', prefix.length);
  const hash = name.lastIndexOf('#');
  if (afterAuthority < 0) return undefined;
  return name.slice(afterAuthority, hash > afterAuthority ? hash : undefined);
}

type LanguageService = ts.LanguageService;
/** The requests our service answers, each with the built-in server's "nothing" for it. */
type Answer<K extends keyof LanguageService> =
  NonNullable<LanguageService[K]> extends (...args: never[]) => infer R ? R : never;
const QUIETED: { [K in keyof LanguageService]?: () => Answer<K> } = {
  getCompletionsAtPosition: () => undefined,
  getCompletionEntryDetails: () => undefined,
  getQuickInfoAtPosition: () => undefined,
  getSignatureHelpItems: () => undefined,
  getDefinitionAtPosition: () => undefined,
  getDefinitionAndBoundSpan: () => undefined,
  getTypeDefinitionAtPosition: () => undefined,
  getSyntacticDiagnostics: () => [],
  getSemanticDiagnostics: () => [],
  getSuggestionDiagnostics: () => [],
  getCodeFixesAtPosition: () => [],
};

/** Wraps a language service so that cells of the served notebooks get QUIETED's answers. */
export function quietLanguageService(service: LanguageService, served: () => ReadonlySet<string>): LanguageService {
  const wrapped = Object.create(null) as Record<string, unknown>;
  const quiet = (fileName: unknown) => {
    const path = typeof fileName === 'string' ? notebookPathOfCell(fileName) : undefined;
    return path !== undefined && served().has(path);
  };
  for (const [name, member] of Object.entries(service)) {
    const nothing = (QUIETED as Record<string, () => unknown>)[name];
    wrapped[name] =
      typeof member === 'function' && nothing
        ? (fileName: unknown, ...rest: unknown[]) =>
            quiet(fileName) ? nothing() : (member as (...a: unknown[]) => unknown).call(service, fileName, ...rest)
        : typeof member === 'function'
          ? (member as (...a: unknown[]) => unknown).bind(service)
          : member;
  }
  return wrapped as unknown as LanguageService;
}

/**
 * The notebook paths a configuration names, as notebookPathOfCell gives them: an untitled
 * notebook's `Uri.path` has no leading slash, tsserver's name for its cells does. Anything
 * malformed names nothing (the built-in server then answers everywhere, as without the plugin).
 */
export function servedPaths(config: unknown): Set<string> {
  const notebooks = (config as Partial<TsserverPluginConfiguration> | undefined)?.notebooks;
  const paths = Array.isArray(notebooks) ? notebooks.filter((p): p is string => typeof p === 'string') : [];
  return new Set(paths.map((p) => (p.startsWith('/') ? p : `/${p}`)));
}
