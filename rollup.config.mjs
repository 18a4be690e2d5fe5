import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

// Each entry is built on its own, so dist/index.js stays one self-contained file (what the
// runtimes and the size budget measure) and the fake, which users load only in tests, and the
// relay, which only servers load, each carry their own copy of the little they share with it.
const entries = [
  { input: 'src/index.ts', name: 'index' },
  { input: 'src/fake/index.ts', name: 'fake' },
  { input: 'src/relay/index.ts', name: 'relay' },
];

// Two module formats and the declarations twice: publint and attw flag a single .d.ts shared
// by ESM and CJS, because its module kind is read from the extension.
export default entries.flatMap(({ input, name }) => [
  {
    input,
    output: [
      { file: `dist/${name}.js`, format: 'es', sourcemap: true },
      { file: `dist/${name}.cjs`, format: 'cjs', sourcemap: true },
    ],
    plugins: [typescript({ tsconfig: './tsconfig.json', declaration: false, declarationMap: false, outDir: undefined, rootDir: undefined })],
  },
  {
    input,
    output: [
      { file: `dist/${name}.d.ts`, format: 'es' },
      { file: `dist/${name}.d.cts`, format: 'es' },
    ],
    plugins: [dts()],
  },
]);
