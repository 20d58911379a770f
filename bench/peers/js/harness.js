'use strict';
// Shared by the peer scripts: reads the series, times one downsampling call per run in-process and prints one
// JSON line {peer, median_ms, runs, selected, index_sum} on stdout; progress goes to stderr.
const fs = require('fs');
const os = require('os');

function fail(msg) {
  process.stderr.write(`error: ${msg}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const [file, t, w, r] = argv.slice(2);
  if (!file || t === undefined) fail('usage: node <script> <data.f64> <threshold> [warmups=2] [runs=5]');
  const num = (s, name, min) => {
    const v = Number(s);
    if (!Number.isInteger(v) || v < min) fail(`${name} must be an integer >= ${min}, got '${s}'`);
    return v;
  };
  return {
    file,
    threshold: num(t, 'threshold', 3),
    warmups: w === undefined ? 2 : num(w, 'warmups', 0),
    runs: r === undefined ? 5 : num(r, 'runs', 1),
  };
}

// The file holds n little-endian float64 x values, then n y values.
function readSeries(file) {
  let buf;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    fail(`cannot read ${file}: ${e.message}`);
  }
  if (buf.length === 0 || buf.length % 16 !== 0) fail(`${file}: size ${buf.length} is not a positive multiple of 16`);
  const n = buf.length / 16;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  if (os.endianness() === 'LE' && buf.byteOffset % 8 === 0) {
    const all = new Float64Array(buf.buffer, buf.byteOffset, 2 * n);
    x.set(all.subarray(0, n));
    y.set(all.subarray(n));
  } else {
    for (let i = 0; i < n; i++) {
      x[i] = buf.readDoubleLE(8 * i);
      y[i] = buf.readDoubleLE(8 * (n + i));
    }
  }
  return { n, x, y };
}

function requireVersion(pkg, version) {
  const v = require(`${pkg}/package.json`).version;
  if (v !== version) fail(`npm package ${pkg} is ${v}, expected ${version}: run npm ci in ${__dirname}`);
  return require(pkg);
}

// prepare(x, y) builds the input the library takes (untimed, as a user would hold the data);
// downsample(input, threshold) is the timed call; indexOf(point) recovers the sample index of an output point.
function bench(peer, prepare, downsample, indexOf) {
  const args = parseArgs(process.argv);
  const { n, x, y } = readSeries(args.file);
  if (args.threshold >= n) fail(`threshold ${args.threshold} must be below the ${n} samples`);
  const input = prepare(x, y);
  let out = null;
  const times = [];
  for (let i = 0; i < args.warmups + args.runs; i++) {
    const t0 = process.hrtime.bigint();
    out = downsample(input, args.threshold);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const warm = i < args.warmups;
    if (!warm) times.push(ms);
    const k = warm ? i + 1 : i - args.warmups + 1;
    process.stderr.write(`${warm ? 'warmup' : 'run'} ${k}/${warm ? args.warmups : args.runs} ${ms.toFixed(2)} ms\n`);
  }
  let indexSum = 0;
  for (let i = 0; i < out.length; i++) indexSum += indexOf(out[i]);
  const sorted = times.slice().sort((a, b) => a - b);
  const m = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
  process.stdout.write(JSON.stringify({
    peer, node: process.version, median_ms: median, runs: times.length, runs_ms: times,
    selected: out.length, index_sum: indexSum,
  }) + '\n');
}

module.exports = { bench, requireVersion };
