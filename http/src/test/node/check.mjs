// Checks that Spindle's Grafana JSON datasource answers become the data frames Grafana expects, using Grafana's own
// conversion (@grafana/data): the simpod-json-datasource plugin turns each /query answer with
// `response.data.map(toDataFrame)` and each /variable answer with `toDataFrame(response.data)`.
//
// usage: node check.mjs FILE...   each FILE: {"name", "expect": {...}, "response": <the JSON Spindle answered>}
// expect: kind ("timeseries" | "table" | "variable"), frames (names, in order), maxDataPoints, nulls (gap markers in
// all), values (variable only). Prints one "ok ..." line per file; exits 1 on the first file that fails a check.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// @grafana/data's ESM build imports CommonJS packages by name, which Node refuses; its CommonJS build loads fine.
const g = createRequire(import.meta.url)('@grafana/data');

class Fail extends Error {}
const check = (cond, msg) => { if (!cond) throw new Fail(msg); };

function ascendingTimes(field, where) {
  check(field.type === g.FieldType.time, `${where}: time field has type ${field.type}`);
  let prev = -Infinity;
  for (const t of field.values) {
    check(typeof t === 'number' && Number.isFinite(t), `${where}: time ${t} is not a finite number`);
    check(t > prev, `${where}: times do not ascend (${prev} then ${t})`);
    prev = t;
  }
}

// A number field: finite numbers, or null for a gap marker that sits between two points.
function numbersWithGaps(field, where) {
  check(field.type === g.FieldType.number, `${where}: value field has type ${field.type}`);
  const v = field.values;
  let nulls = 0;
  for (let i = 0; i < v.length; i++) {
    if (v[i] === null) {
      check(i > 0 && i < v.length - 1, `${where}: gap marker at the edge (index ${i})`);
      check(v[i - 1] !== null && v[i + 1] !== null, `${where}: two gap markers in a row at ${i}`);
      nulls++;
    } else {
      check(typeof v[i] === 'number' && Number.isFinite(v[i]), `${where}: value ${v[i]} at ${i} is not a finite number`);
    }
  }
  return { points: v.length - nulls, nulls };
}

function timeseries(response, expect) {
  const frames = response.map(g.toDataFrame);
  check(frames.length === expect.frames.length, `${frames.length} frames, expected ${expect.frames.length}`);
  let points = 0, nulls = 0;
  frames.forEach((f, i) => {
    const where = `frame ${i} (${f.name})`;
    check(f.name === expect.frames[i], `${where}: name is ${f.name}, expected ${expect.frames[i]}`);
    check(f.refId === response[i].refId, `${where}: refId ${f.refId}, answer had ${response[i].refId}`);
    check(f.fields.length === 2, `${where}: ${f.fields.length} fields`);
    const [time, value] = f.fields;
    check(time.name === g.TIME_SERIES_TIME_FIELD_NAME && value.name === g.TIME_SERIES_VALUE_FIELD_NAME,
      `${where}: fields named ${time.name}, ${value.name}`);
    check(time.values.length === f.length && value.values.length === f.length, `${where}: field lengths differ from ${f.length}`);
    check(g.getTimeField(f).timeIndex === 0, `${where}: Grafana finds no time field`);
    check(g.isTimeSeriesFrame(f), `${where}: not a time series frame`);
    check(g.getFieldDisplayName(value, f, frames) === expect.frames[i], `${where}: legend would read "${g.getFieldDisplayName(value, f, frames)}"`);
    ascendingTimes(time, where);
    const c = numbersWithGaps(value, where);
    check(c.points <= expect.maxDataPoints, `${where}: ${c.points} points, more than maxDataPoints ${expect.maxDataPoints}`);
    check(c.points > 0, `${where}: no points`);
    const r = g.reduceField({ field: value, reducers: [g.ReducerID.nonNullCount, g.ReducerID.lastNotNull, g.ReducerID.min, g.ReducerID.max] });
    const real = value.values.filter((x) => x !== null);
    check(r.nonNullCount === c.points, `${where}: Grafana counts ${r.nonNullCount} non-null values, expected ${c.points}`);
    check(r.lastNotNull === real[real.length - 1], `${where}: last value ${r.lastNotNull}`);
    check(r.min === Math.min(...real) && r.max === Math.max(...real), `${where}: min/max ${r.min}/${r.max}`);
    const processed = g.getProcessedDataFrames([response[i]])[0];
    check(processed.fields[0].type === 'time' && processed.fields[1].type === 'number', `${where}: panel processing changed the field types`);
    points += c.points;
    nulls += c.nulls;
  });
  // The time series panel joins all frames on time: every gap marker must stay a null there.
  const joined = g.outerJoinDataFrames({ frames });
  check(joined && joined.fields[0].type === 'time', 'outer join has no time field');
  ascendingTimes(joined.fields[0], 'joined');
  frames.forEach((f, i) => {
    const col = joined.fields[i + 1];
    const at = new Map(joined.fields[0].values.map((t, k) => [t, k]));
    f.fields[0].values.forEach((t, k) => {
      const j = at.get(t);
      check(j !== undefined, `joined: time ${t} of ${f.name} missing`);
      check(col.values[j] === f.fields[1].values[k], `joined: ${f.name} at ${t} is ${col.values[j]}, frame has ${f.fields[1].values[k]}`);
    });
  });
  if (expect.nulls !== undefined) check(nulls === expect.nulls, `${nulls} gap markers, expected ${expect.nulls}`);
  return `${frames.length} frame(s), ${points} points, ${nulls} gap nulls`;
}

function table(response, expect) {
  const frames = response.map(g.toDataFrame);
  check(frames.length === expect.frames.length, `${frames.length} frames, expected ${expect.frames.length}`);
  let points = 0, nulls = 0;
  frames.forEach((f, i) => {
    const where = `table ${i}`;
    check(f.fields.length === 2, `${where}: ${f.fields.length} fields`);
    const [time, value] = f.fields;
    check(time.name === 'Time', `${where}: first column ${time.name}`);
    check(value.name === expect.frames[i], `${where}: value column ${value.name}, expected ${expect.frames[i]}`);
    check(f.length === response[i].rows.length && time.values.length === f.length && value.values.length === f.length, `${where}: lengths`);
    check(g.getTimeField(f).timeIndex === 0, `${where}: Grafana finds no time field`);
    ascendingTimes(time, where);
    const c = numbersWithGaps(value, where);
    check(c.points <= expect.maxDataPoints, `${where}: ${c.points} rows, more than maxDataPoints ${expect.maxDataPoints}`);
    points += c.points;
    nulls += c.nulls;
  });
  if (expect.nulls !== undefined) check(nulls === expect.nulls, `${nulls} gap rows, expected ${expect.nulls}`);
  return `${frames.length} table(s), ${points} rows, ${nulls} gap nulls`;
}

function variable(response, expect) {
  const f = g.toDataFrame(response);
  const text = f.fields.find((x) => x.name === '__text');
  const value = f.fields.find((x) => x.name === '__value');
  check(text && value, `fields are ${f.fields.map((x) => x.name)}`);
  check(text.type === 'string' && value.type === 'string', `types ${text.type}, ${value.type}`);
  check(JSON.stringify(value.values) === JSON.stringify(expect.values), `values ${JSON.stringify(value.values)}`);
  return `${value.values.length} values`;
}

const kinds = { timeseries, table, variable };
let bad = 0;
for (const file of process.argv.slice(2)) {
  let doc;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
    const run = kinds[doc.expect.kind];
    if (!run) throw new Fail(`unknown kind ${doc.expect.kind}`);
    console.log(`ok ${doc.name}: ${run(doc.response, doc.expect)}`);
  } catch (e) {
    bad++;
    console.log(`FAIL ${doc ? doc.name : file}: ${e instanceof Fail ? e.message : e.stack}`);
  }
}
console.log(`compat: ${process.argv.length - 2 - bad} of ${process.argv.length - 2} answers convert as Grafana expects`);
process.exit(bad === 0 && process.argv.length > 2 ? 0 : 1);
