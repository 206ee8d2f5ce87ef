/**
 * The TypeScript server plugin that quiets VS Code's built-in TypeScript in served cells
 * (extension/language/tsserver-plugin.ts): cell names as tsserver writes them, and a real
 * TypeScript LanguageService wrapped by it, answering for files it must leave alone and
 * nothing for the cells of served notebooks. The built module is loaded the way tsserver loads
 * a plugin (require by package name from the extension's node_modules, call the export).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { notebookPathOfCell, quietLanguageService, servedPaths } from '../../../extension/language/tsserver-quiet';

const CELL = '^/vscode-notebook-cell/ts-nul-authority/work/notes/char lm.ipynb#W0sZmlsZQ==';
const OTHER_CELL = '^/vscode-notebook-cell/ts-nul-authority/work/notes/other.ipynb#W0sZmlsZQ==';
const FILE = '/work/notes/script.ts';
const UNTITLED_CELL = '^/vscode-notebook-cell/ts-nul-authority/Untitled-1.ipynb#X41sdW50aXRsZWQ=';

test('tsserver’s names of notebook cells give the notebook’s path; other files give nothing', () => {
  assert.equal(notebookPathOfCell(CELL), '/work/notes/char lm.ipynb');
  assert.equal(notebookPathOfCell(UNTITLED_CELL), '/Untitled-1.ipynb');
  // Windows: tsserver's names use forward slashes, but a backslash must not hide a cell.
  assert.equal(notebookPathOfCell('^\\vscode-notebook-cell\\ts-nul-authority\\c:\\nb.ipynb#W0s'), '/c:/nb.ipynb');
  assert.equal(notebookPathOfCell('^/vscode-notebook-cell/host/a#b.ipynb#W1s'), '/a#b.ipynb');
  assert.equal(notebookPathOfCell(FILE), undefined);
  assert.equal(notebookPathOfCell('^/untitled/ts-nul-authority/Untitled-2'), undefined);
  assert.equal(notebookPathOfCell('^/vscode-notebook-cell/no-path'), undefined);
});

test('a configuration names the notebooks by path, an untitled one with the leading slash tsserver adds', () => {
  assert.deepEqual(
    [...servedPaths({ notebooks: ['/work/a.ipynb', 'Untitled-1.ipynb'] })],
    ['/work/a.ipynb', '/Untitled-1.ipynb'],
  );
  assert.deepEqual([...servedPaths({ notebooks: 'not a list' })], []);
  assert.deepEqual([...servedPaths({ notebooks: [3, '/b.ipynb'] })], ['/b.ipynb']);
  assert.deepEqual([...servedPaths(undefined)], []);
});

/** A LanguageService over in-memory files (lib: none needed for these answers). */
function languageService(files: Record<string, string>): ts.LanguageService {
  const host: ts.LanguageServiceHost = {
    // allowNonTsExtensions: as tsserver sets it for loose files (a cell's name ends in its fragment, not `.ts`).
    getCompilationSettings: () => ({ noLib: true, strict: true, noUnusedLocals: true, allowNonTsExtensions: true }),
    getScriptFileNames: () => Object.keys(files),
    getScriptVersion: () => '1',
    getScriptSnapshot: (name) => (name in files ? ts.ScriptSnapshot.fromString(files[name]) : undefined),
    getCurrentDirectory: () => '/',
    getDefaultLibFileName: () => 'lib.d.ts',
    fileExists: (name) => name in files,
    readFile: (name) => files[name],
  };
  return ts.createLanguageService(host);
}

const TEXT = 'const s = { size: 1 };\ns.;\nconst broken = ;\n';
const DOT = TEXT.indexOf('s.;') + 2;

test('wrapped: the served notebook’s cells get nothing, every other file the built-in answers', () => {
  const service = quietLanguageService(languageService({ [CELL]: TEXT, [OTHER_CELL]: TEXT, [FILE]: TEXT }), () =>
    servedPaths({ notebooks: ['/work/notes/char lm.ipynb'] }),
  );
  for (const name of [OTHER_CELL, FILE]) {
    const labels = service.getCompletionsAtPosition(name, DOT, undefined)?.entries.map((e) => e.name);
    assert.deepEqual(labels, ['size'], name);
    assert.match(ts.displayPartsToString(service.getQuickInfoAtPosition(name, 6)?.displayParts), /const s/);
    assert.ok(service.getSyntacticDiagnostics(name).length > 0, `${name}: syntax error`);
    assert.ok(service.getDefinitionAndBoundSpan(name, DOT - 2)?.definitions?.length, `${name}: definition`);
  }
  assert.equal(service.getCompletionsAtPosition(CELL, DOT, undefined), undefined);
  assert.equal(
    service.getCompletionEntryDetails(CELL, DOT, 'size', undefined, undefined, undefined, undefined),
    undefined,
  );
  assert.equal(service.getQuickInfoAtPosition(CELL, 6), undefined);
  assert.equal(service.getSignatureHelpItems(CELL, DOT, undefined), undefined);
  assert.equal(service.getDefinitionAndBoundSpan(CELL, DOT - 2), undefined);
  assert.equal(service.getDefinitionAtPosition(CELL, DOT - 2), undefined);
  assert.deepEqual(service.getSyntacticDiagnostics(CELL), []);
  assert.deepEqual(service.getSemanticDiagnostics(CELL), []);
  assert.deepEqual(service.getSuggestionDiagnostics(CELL), []);
  // What ours does not answer stays the built-in's, in served cells too.
  assert.ok(service.getOutliningSpans(CELL) !== undefined);
  assert.ok(service.getDocumentHighlights(CELL, 6, [CELL])?.length, 'highlights');
});

test('the served set is read on each request: a notebook no longer served gets the built-in answers back', () => {
  let served = servedPaths({ notebooks: ['/work/notes/char lm.ipynb'] });
  const service = quietLanguageService(languageService({ [CELL]: TEXT }), () => served);
  assert.equal(service.getCompletionsAtPosition(CELL, DOT, undefined), undefined);
  served = servedPaths({ notebooks: [] });
  assert.deepEqual(
    service.getCompletionsAtPosition(CELL, DOT, undefined)?.entries.map((e) => e.name),
    ['size'],
  );
});

test('the built plugin loads as tsserver loads it: by package name, its export the factory, configured later', () => {
  const requireFromRoot = createRequire(join(__dirname, '..', '..', '..', '..', 'package.json'));
  const factory = requireFromRoot('lstm-notebook-tsserver-plugin') as ts.server.PluginModuleFactory;
  assert.equal(typeof factory, 'function');
  const plugin = factory({ typescript: ts });
  const logged: string[] = [];
  const info = {
    languageService: languageService({ [CELL]: TEXT }),
    project: { projectService: { logger: { info: (m: string) => logged.push(m) } } },
  } as unknown as ts.server.PluginCreateInfo;
  const service = plugin.create(info);
  assert.deepEqual(logged, ['lstm-notebook-tsserver-plugin: loaded']);
  assert.ok(service.getCompletionsAtPosition(CELL, DOT, undefined), 'nothing served yet: the built-in answers');
  plugin.onConfigurationChanged?.({ notebooks: ['/work/notes/char lm.ipynb'] });
  assert.equal(service.getCompletionsAtPosition(CELL, DOT, undefined), undefined);
});
