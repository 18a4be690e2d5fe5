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
const libraries = entries.flatMap(({ input, name }) => [
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

// The `openai-chat-fetch-fake` command: Node code outside src/, which loads the fake and the
// relay's Node adapter from the package's own dist/fake.js and dist/relay.js by their names, so it
// shares them instead of carrying a copy. Built last,
// after the declarations its types are checked against (with Node's, in bin/tsconfig.json).
const command = {
  input: 'bin/fake-server.ts',
  output: { file: 'dist/fake-server.js', format: 'es', banner: '#!/usr/bin/env node' },
  external: (id) => id === 'openai-chat-fetch/fake' || id === 'openai-chat-fetch/relay' || id.startsWith('node:'),
  plugins: [typescript({ tsconfig: './bin/tsconfig.json', declaration: false, declarationMap: false, outDir: undefined, rootDir: undefined })],
};

export default [...libraries, command];
