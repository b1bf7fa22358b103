// Fails when a public symbol (an export of a package entry, or a public member of one) has no doc comment.
import ts from 'typescript';

const ENTRIES = ['src/index.ts', 'src/testing/node.ts', 'src/testing/page.ts'];
const program = ts.createProgram(ENTRIES, { strict: true, target: ts.ScriptTarget.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext, types: ['vite/client'] });
const checker = program.getTypeChecker();
const missing = [];

const documented = (symbol) => ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim().length > 0;
// `@internal` members are stripped from the published .d.ts (stripInternal): not public.
const isInternal = (declaration) => ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === 'internal');
const isPublic = (declaration) =>
  !(ts.getCombinedModifierFlags(declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) &&
  !(declaration.name && ts.isPrivateIdentifier(declaration.name)) &&
  !isInternal(declaration);

for (const exported of ENTRIES.flatMap((entry) => checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(entry))))) {
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  if (!documented(symbol)) missing.push(exported.name);
  const declaration = symbol.declarations?.[0];
  if (!declaration || !(ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration))) continue;
  for (const member of symbol.members?.values() ?? []) {
    const memberDeclaration = member.declarations?.[0];
    if (!memberDeclaration || member.name === '__constructor' || !isPublic(memberDeclaration)) continue;
    if (ts.isParameter(memberDeclaration)) continue; // constructor parameter properties are documented with @param
    if (member.flags & ts.SymbolFlags.TypeParameter) continue; // described in the type's own comment
    if (!documented(member)) missing.push(`${exported.name}.${member.name}`);
  }
}

if (missing.length > 0) {
  console.error(`Public symbols without a doc comment:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`Public API docs: every symbol of ${ENTRIES.join(', ')} has a doc comment.`);
