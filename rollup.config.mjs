import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

// One source, two module formats, and the declarations twice: publint and attw flag a single
// index.d.ts shared by ESM and CJS, because its module kind is read from the extension.
export default [
  {
    input: 'src/index.ts',
    output: [
      { file: 'dist/index.js', format: 'es', sourcemap: true },
      { file: 'dist/index.cjs', format: 'cjs', sourcemap: true },
    ],
    plugins: [typescript({ tsconfig: './tsconfig.json', declaration: false, declarationMap: false, outDir: undefined, rootDir: undefined })],
  },
  {
    input: 'src/index.ts',
    output: [
      { file: 'dist/index.d.ts', format: 'es' },
      { file: 'dist/index.d.cts', format: 'es' },
    ],
    plugins: [dts()],
  },
];
