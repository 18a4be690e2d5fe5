// `npm run size`: the min+gzip figures of test/size/measure.ts, printed. `npm run size -- --by-file`
// adds each source file's share of the minified bundles.
import { bySourceFile, measureAll, table } from './measure.js';

console.log(table(await measureAll()));
if (process.argv.includes('--by-file')) {
  for (const { name, files } of await bySourceFile()) {
    console.log(`\n${name}, minified bytes by source file:`);
    for (const [file, bytes] of files) console.log(`${bytes.toLocaleString('en').padStart(7)} B  ${file}`);
  }
}
