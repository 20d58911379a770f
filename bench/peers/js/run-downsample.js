'use strict';
// Peer js_downsample: LTTB of npm `downsample` 1.4.0, which takes an array of [x, y] tuples (or {x, y} objects)
// and returns the kept tuples themselves.
const { bench, requireVersion } = require('./harness');
const { LTTB } = requireVersion('downsample', '1.4.0');

bench('js_downsample',
  (x, y) => {
    const data = new Array(x.length);
    for (let i = 0; i < x.length; i++) data[i] = [x[i], y[i]];
    return data;
  },
  (data, threshold) => LTTB(data, threshold),
  (point) => point[0]);
