/**
 * The names a cell declares at top level, which the kernel makes globals (rewrite.ts) and
 * which later cells therefore see: const/let/var (every destructuring form), function, class,
 * enum, the local names of imports, and — for the type checker only — interfaces, type aliases
 * and namespaces. Read with TypeScript's parser, which tolerates a cell that does not parse.
 */
import ts from 'typescript';

type DeclarationKind = 'const' | 'let' | 'var' | 'function' | 'class' | 'enum' | 'import' | 'type';

export interface DeclaredName {
  name: string;
  kind: DeclarationKind;
  /** Written `export const x`: the cell exports it already, the footer must not again. */
  exported: boolean;
  /** Where the name is written in the cell's text (go to definition lands there). */
  start: number;
}

export function declaredNames(text: string, fileName = 'cell.ts'): DeclaredName[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const names = new Map<string, DeclaredName>();
  const add = (id: ts.Identifier, kind: DeclarationKind, exported = false) =>
    names.set(id.text, { name: id.text, kind, exported, start: id.getStart(source) });

  for (const statement of source.statements) {
    const exported = hasExportModifier(statement);
    if (ts.isVariableStatement(statement)) {
      const kind = variableKind(statement.declarationList);
      for (const declaration of statement.declarationList.declarations) {
        for (const name of bindingNames(declaration.name)) add(name, kind, exported);
      }
    } else if (ts.isFunctionDeclaration(statement) && statement.name) {
      add(statement.name, 'function', exported);
    } else if (ts.isClassDeclaration(statement) && statement.name) {
      add(statement.name, 'class', exported);
    } else if (ts.isEnumDeclaration(statement)) {
      add(statement.name, 'enum', exported);
    } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      add(statement.name, 'type', exported);
    } else if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) {
      add(statement.name, 'type', exported);
    } else if (ts.isImportDeclaration(statement) && statement.importClause) {
      for (const name of importedNames(statement.importClause)) add(name, 'import');
    } else if (ts.isImportEqualsDeclaration(statement)) {
      add(statement.name, 'import', exported);
    }
  }
  return [...names.values()];
}

function hasExportModifier(statement: ts.Statement): boolean {
  return ts.canHaveModifiers(statement)
    ? (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
    : false;
}

function variableKind(list: ts.VariableDeclarationList): DeclarationKind {
  if (list.flags & ts.NodeFlags.Const) return 'const';
  if (list.flags & ts.NodeFlags.Let) return 'let';
  // `using` and `await using` are const-like bindings.
  if (list.flags & ts.NodeFlags.Using) return 'const';
  return 'var';
}

/** `a`, `{ a, b: c, ...rest }`, `[a, , [b = 1], ...rest]`: every name bound, nested or not. */
function bindingNames(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const names: ts.Identifier[] = [];
  for (const element of name.elements) {
    if (ts.isOmittedExpression(element)) continue;
    names.push(...bindingNames(element.name));
  }
  return names;
}

function importedNames(clause: ts.ImportClause): ts.Identifier[] {
  const names = clause.name ? [clause.name] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push(bindings.name);
  if (bindings && ts.isNamedImports(bindings)) names.push(...bindings.elements.map((element) => element.name));
  return names;
}
