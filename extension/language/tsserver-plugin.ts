/**
 * A TypeScript server plugin that makes VS Code's built-in TypeScript step aside in the cells
 * our language service answers for. Without it both answer in every `typescript` cell: in-cell
 * completions come twice, hovers stack (one of them saying `any` for a name from an earlier
 * cell), syntax errors are underlined twice, and its hints call a name "unused" that a later
 * cell uses — the built-in server sees each cell as a separate script.
 *
 * Cells keep the language id `typescript` (the saved `.ipynb` says so, and GitHub, Jupyter
 * and VS Code without this extension highlight it); the extension tells this plugin which
 * notebooks it serves through the TypeScript extension's `configurePlugin`, and for cells of
 * those the plugin returns nothing from the requests ours answer. Everything else (semantic
 * highlighting, folding, formatting, rename inside a cell) is left to the built-in server.
 *
 * It runs inside tsserver, not the extension host: no `vscode` here. The build writes it to
 * node_modules/lstm-notebook-tsserver-plugin, where tsserver looks for it (package.json's
 * `typescriptServerPlugins`). TypeScript 7's native server loads no plugins: with
 * `typescript.experimental.useTsgo` on, the built-in answers again beside ours.
 */
import type * as ts from 'typescript';
import { quietLanguageService, servedPaths } from './tsserver-quiet';

// tsserver requires the module and calls what it exports: the factory itself, not a `default`.
function init(): ts.server.PluginModule {
  let served: ReadonlySet<string> = new Set();
  return {
    create: (info) => {
      info.project.projectService.logger.info('lstm-notebook-tsserver-plugin: loaded');
      return quietLanguageService(info.languageService, () => served);
    },
    onConfigurationChanged: (config: unknown) => {
      served = servedPaths(config);
    },
  };
}

export = init;
