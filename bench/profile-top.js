'use strict';
// Reads a V8 .cpuprofile (node --cpu-prof) and prints where the time went: the functions with the
// most self time, the same grouped by package (or src/ folder), and the heaviest inclusive frames.
//   node bench/profile-top.js <file.cpuprofile> [--top 30] [--last <s>]
// --last: only the samples of the last <s> seconds (say, the last run of a bench); percentages
// are of the busy time (idle left out).
const fs = require('node:fs');
const path = require('node:path');

const file = process.argv[2];
const topIdx = process.argv.indexOf('--top');
const TOP = topIdx > 0 ? Number(process.argv[topIdx + 1]) : 30;
const lastIdx = process.argv.indexOf('--last');
const LAST_US = lastIdx > 0 ? Number(process.argv[lastIdx + 1]) * 1e6 : Infinity;
if (!file) {
  console.error('usage: node bench/profile-top.js <file.cpuprofile> [--top N]');
  process.exit(2);
}
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const from = profile.endTime - LAST_US;
let at = profile.startTime;
let idle = 0;
for (let i = 0; i < profile.samples.length; i += 1) {
  const id = profile.samples[i];
  at += profile.timeDeltas[i] || 0;
  if (at < from) continue;
  if (byId.get(id).callFrame.functionName === '(idle)') {
    idle += profile.timeDeltas[i] || 0;
    continue;
  }
  self.set(id, (self.get(id) || 0) + (profile.timeDeltas[i] || 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);

function where(frame) {
  const url = frame.url || '';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return `gateway ${path.dirname(url.slice(dist + 6))}`;
  if (url.startsWith('node:') || url === '')
    return frame.functionName.startsWith('(') ? frame.functionName : 'node internals';
  return url;
}

const label = (f) => {
  const url = f.url ? f.url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, 'dist/') : '';
  return `${f.functionName || '(anonymous)'} ${url}${url ? `:${f.lineNumber + 1}` : ''}`;
};

const selfByFn = new Map();
const selfByPkg = new Map();
for (const [id, t] of self) {
  const f = byId.get(id).callFrame;
  const k = label(f);
  selfByFn.set(k, (selfByFn.get(k) || 0) + t);
  const p = where(f);
  selfByPkg.set(p, (selfByPkg.get(p) || 0) + t);
}

// Inclusive time per function, counted once per stack even when it recurses.
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
const inclusive = new Map();
for (const [id, t] of self) {
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = label(byId.get(cur).callFrame);
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) || 0) + t);
  }
}

const show = (title, map, n) => {
  console.log(`\n${title}`);
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  for (const [k, t] of rows)
    console.log(
      `${((t / total) * 100).toFixed(1).padStart(5)}%  ${(t / 1000).toFixed(0).padStart(7)} ms  ${k}`,
    );
};

console.log(`${file}: ${(total / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle`);
show('self time by package / folder', selfByPkg, 25);
show(`top ${TOP} functions by self time`, selfByFn, TOP);
show(`top ${TOP} frames by inclusive time`, inclusive, TOP);
