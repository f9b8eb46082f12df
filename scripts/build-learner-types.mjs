// Builds the type declarations a learner's lab workspace needs so that imports of
// TensorFlow.js and the lab helpers resolve in the editor with no red squiggles:
//   <out>/tfjs-core/   the .d.ts tree of @tensorflow/tfjs-core (+ its package.json "types"),
//                      with the chained tensor methods' declarations imported by its index
//   <out>/webgpu-types/ @webgpu/types, which tfjs-core's declarations reference
//   <out>/helpers/index.d.ts  declarations of "@transformer-labs/helpers"
//   <out>/checks-api/index.d.ts  declarations of "transformer-labs/checks", the check API a lab
//                      outside the build imports (new-lab installs them for the author's editor)
// Usage: node scripts/build-learner-types.mjs <outDir>
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'dist', 'types'));
const require = createRequire(join(root, 'package.json'));
const ts = require('typescript');

function copyDts(from, to) {
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    if (statSync(src).isDirectory()) copyDts(src, join(to, name));
    else if (name.endsWith('.d.ts')) {
      mkdirSync(to, { recursive: true });
      cpSync(src, join(to, name));
    }
  }
}

rmSync(out, { recursive: true, force: true });
const tfjsCore = join(root, 'node_modules', '@tensorflow', 'tfjs-core');
copyDts(join(tfjsCore, 'dist'), join(out, 'tfjs-core', 'dist'));
// The sidecar registers the chained tensor methods (x.sub(m), x.reshape(…)); their types are
// module augmentations in public/chained_ops/*.d.ts, which tfjs-core's index does not import.
const indexDts = join(out, 'tfjs-core', 'dist', 'index.d.ts');
writeFileSync(indexDts, readFileSync(indexDts, 'utf8') + "\nimport './public/chained_ops/register_all_chained_ops';\n");
const version = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(join(tfjsCore, 'package.json'), 'utf8'))).version;
writeFileSync(join(out, 'tfjs-core', 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-core', version, types: 'dist/index.d.ts' }, null, 2));
copyDts(join(root, 'node_modules', '@webgpu', 'types', 'dist'), join(out, 'webgpu-types', 'dist'));
writeFileSync(join(out, 'webgpu-types', 'package.json'), JSON.stringify({ name: '@webgpu/types', types: 'dist/index.d.ts' }, null, 2));

/** The declarations of `entry` and the modules it imports, those under `folder` by their path there. */
function emitDeclarations(entry, folder) {
  const declarations = new Map();
  ts.createProgram([entry], {
    declaration: true,
    emitDeclarationOnly: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
  }).emit(undefined, (name, text) => {
    const file = name.split('\\').join('/');
    const at = file.indexOf(`/${folder}/`);
    if (at >= 0) declarations.set(file.slice(at + folder.length + 2), text);
  });
  if (declarations.size === 0) throw new Error(`no declarations emitted for ${entry}`);
  return declarations;
}

function writeDeclarations(dir, declarations, entryName, packageJson) {
  for (const [file, text] of declarations) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file === entryName ? 'index.d.ts' : file), text);
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
}

// helpers.ts re-exports sibling modules (referenceAttention.ts): every declaration file of
// sidecar/learner/ goes beside index.d.ts so the relative imports resolve.
writeDeclarations(join(out, 'helpers'), emitDeclarations(join(root, 'sidecar', 'learner', 'helpers.ts'), 'sidecar/learner'), 'helpers.d.ts', { name: '@transformer-labs/helpers', types: 'index.d.ts' });
// "transformer-labs/checks" (core/checks/authorApi.ts) and the core/checks modules it re-exports.
writeDeclarations(join(out, 'checks-api'), emitDeclarations(join(root, 'core', 'checks', 'authorApi.ts'), 'core/checks'), 'authorApi.d.ts', { name: 'transformer-labs-checks', types: 'index.d.ts' });
// TypeScript's own lib declarations, for grading's type check in the sidecar (the .vsix has no
// node_modules): every lib file the learner tsconfig's "ES2022" and "DOM" pull in.
const tsLib = dirname(require.resolve('typescript/lib/lib.d.ts'));
mkdirSync(join(out, 'typescript-lib'), { recursive: true });
for (const name of readdirSync(tsLib)) {
  if (/^lib\.(es5|es20(1[5-9]|2[0-2])(\.[a-z.]+)?|dom|decorators(\.legacy)?)\.d\.ts$/.test(name)) cpSync(join(tsLib, name), join(out, 'typescript-lib', name));
}
console.log(`learner types written to ${out}`);
