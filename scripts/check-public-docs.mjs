// Fails when a public symbol (an export of src/index.ts, or a public member of one) has no doc comment.
import ts from 'typescript';

const program = ts.createProgram(['src/index.ts'], { strict: true, target: ts.ScriptTarget.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext, types: ['vite/client'] });
const checker = program.getTypeChecker();
const index = checker.getSymbolAtLocation(program.getSourceFile('src/index.ts'));
const missing = [];

const documented = (symbol) => ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim().length > 0;
const isPublic = (declaration) =>
  !(ts.getCombinedModifierFlags(declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) &&
  !(declaration.name && ts.isPrivateIdentifier(declaration.name));

for (const exported of checker.getExportsOfModule(index)) {
  const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  if (!documented(symbol)) missing.push(exported.name);
  const declaration = symbol.declarations?.[0];
  if (!declaration || !(ts.isClassDeclaration(declaration) || ts.isInterfaceDeclaration(declaration))) continue;
  for (const member of symbol.members?.values() ?? []) {
    const memberDeclaration = member.declarations?.[0];
    if (!memberDeclaration || member.name === '__constructor' || !isPublic(memberDeclaration)) continue;
    if (ts.isParameter(memberDeclaration)) continue; // constructor parameter properties are documented with @param
    if (!documented(member)) missing.push(`${exported.name}.${member.name}`);
  }
}

if (missing.length > 0) {
  console.error(`Public symbols without a doc comment:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`Public API docs: every symbol of src/index.ts has a doc comment.`);
