/**
 * Jest transformer for packages that ship ES modules only (NestJS 12, content-disposition 2,
 * sanitize-html's htmlparser2 family). Node loads them from our CommonJS code natively
 * (require(esm)); Jest's own module system cannot, so each such file is compiled to CommonJS
 * here. Files of those packages that are CommonJS already (dual builds) pass through unchanged.
 * `import.meta` has no CommonJS form: createRequire(import.meta.url) is the module's own
 * `require`, import.meta.resolve is require.resolve, url/dirname/filename come from __filename.
 */
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const ts = require('typescript');

// A change to this file or to TypeScript compiles everything again.
const VERSION = `${createHash('sha256').update(readFileSync(__filename)).digest('hex')}:${ts.version}`;
const moduleTypeByDir = new Map();

/** "module" or "commonjs", from the nearest package.json that says. */
function moduleType(dir) {
  if (moduleTypeByDir.has(dir)) return moduleTypeByDir.get(dir);
  let type;
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    type = pkg.type === 'module' ? 'module' : pkg.type || (pkg.name ? 'commonjs' : undefined);
  } catch {
    type = undefined;
  }
  if (type === undefined) type = dirname(dir) === dir ? 'commonjs' : moduleType(dirname(dir));
  moduleTypeByDir.set(dir, type);
  return type;
}

function toCommonJs(source, filename) {
  const code = source
    .replace(/^const require = createRequire\(import\.meta\.url\);$/gm, '')
    .replace(/\bcreateRequire\(import\.meta\.url\)/g, 'require')
    .replace(/\bimport\.meta\.resolve\(/g, 'require.resolve(')
    .replace(/\bimport\.meta\.url\b/g, "require('node:url').pathToFileURL(__filename).href")
    .replace(/\bimport\.meta\.dirname\b/g, '__dirname')
    .replace(/\bimport\.meta\.filename\b/g, '__filename');
  const { outputText, sourceMapText } = ts.transpileModule(code, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      allowJs: true,
      esModuleInterop: true,
      sourceMap: true,
    },
  });
  return { code: outputText, map: sourceMapText };
}

module.exports = {
  getCacheKey(source, filename) {
    return createHash('sha256').update(VERSION).update(filename).update(source).digest('hex');
  },
  process(source, filename) {
    const esm = filename.endsWith('.mjs') || (filename.endsWith('.js') && moduleType(dirname(filename)) === 'module');
    return esm ? toCommonJs(source, filename) : { code: source };
  },
};
