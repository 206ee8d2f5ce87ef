/**
 * `%npm` lines in the cells' language service: blank to the type checker, so a valid magic line
 * shows no syntax error, and the errors on the cell's other lines keep their lines.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { NotebookLanguageService } from '../../../extension/language/service';

const folder = mkdtempSync(join(tmpdir(), 'lstm-language-magics-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const service = new NotebookLanguageService({ notebookDir: folder });
after(() => service.dispose());

test('a %npm line is no syntax error; an error two lines below it is reported on its own line', () => {
  const text = "const a = 1;\n%npm install lodash @types/node\nconst b: number = 'text';\nb + a;";
  service.update([{ id: 'install', languageId: 'typescript', text }]);
  const diagnostics = service.diagnostics().get('install') ?? [];
  assert.deepEqual(
    diagnostics.map((d) => [d.code, d.range.start.line]),
    [[2322, 2]],
    JSON.stringify(diagnostics),
  );
});
