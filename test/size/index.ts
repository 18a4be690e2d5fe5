// `npm run size`: the min+gzip figures of test/size/measure.ts, printed.
import { measureAll, table } from './measure.js';

console.log(table(await measureAll()));
