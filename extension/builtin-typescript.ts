/**
 * Tells VS Code's built-in TypeScript which notebooks our language service answers for, so
 * that its server steps aside in their cells (extension/language/tsserver-plugin.ts, loaded
 * into tsserver through package.json's `typescriptServerPlugins`). The set is sent whenever it
 * changes; the TypeScript extension keeps the last one and sends it again when its server
 * restarts.
 */
import * as vscode from 'vscode';
import type { TsserverPluginConfiguration } from '../protocol/language';

const TYPESCRIPT_EXTENSION = 'vscode.typescript-language-features';
/** The plugin's package name: package.json's typescriptServerPlugins entry, which esbuild.mjs builds into node_modules/<this>. */
const TSSERVER_PLUGIN = 'lstm-notebook-tsserver-plugin';

interface TypeScriptApi {
  configurePlugin(pluginId: string, configuration: TsserverPluginConfiguration): void;
}

export class BuiltinTypeScript {
  private sent = '';
  private api: Promise<TypeScriptApi | undefined> | undefined;

  constructor(private readonly warn: (message: string) => void) {}

  /** The notebooks (by `Uri.path`, as tsserver names their cells) whose cells the built-in server leaves to ours. */
  serve(notebooks: readonly vscode.Uri[]): void {
    const paths = [...new Set(notebooks.map((uri) => uri.path))].sort();
    const key = paths.join('\n');
    if (key === this.sent) return;
    this.sent = key;
    void this.typescriptApi().then((api) => api?.configurePlugin(TSSERVER_PLUGIN, { notebooks: paths }));
  }

  private typescriptApi(): Promise<TypeScriptApi | undefined> {
    this.api ??= (async () => {
      const extension = vscode.extensions.getExtension<{ getAPI?(version: 0): TypeScriptApi | undefined }>(
        TYPESCRIPT_EXTENSION,
      );
      // Disabled or absent: then nothing answers beside ours either.
      if (!extension) return undefined;
      try {
        const api = (await extension.activate())?.getAPI?.(0);
        if (!api) this.warn('the built-in TypeScript extension offers no API: its answers may appear beside ours');
        return api;
      } catch (error) {
        this.warn(`the built-in TypeScript extension did not activate: ${(error as Error).message}`);
        return undefined;
      }
    })();
    return this.api;
  }
}
