// `tsx test/bench/top.ts FILE.cpuprofile [N]`: the N functions with the most self time in a V8 CPU profile.
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}
const profile = JSON.parse(readFileSync(process.argv[2], 'utf8')) as { nodes: Node[]; samples: number[] };
const count = Number(process.argv[3] ?? 25);
const self = new Map<string, number>();
for (const node of profile.nodes) {
  const { functionName, url, lineNumber } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + node.hitCount);
}
const total = profile.samples.length;
for (const [key, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, count)) console.log(`${((hits / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
