'use strict';
// Peer js_downsample_lttb: processData of npm `downsample-lttb` 0.0.1 (Steinarsson's flot code as a module), which
// takes an array of [x, y] pairs and returns the kept pairs themselves.
const { bench, requireVersion } = require('./harness');
const { processData } = requireVersion('downsample-lttb', '0.0.1');

bench('js_downsample_lttb',
  (x, y) => {
    const data = new Array(x.length);
    for (let i = 0; i < x.length; i++) data[i] = [x[i], y[i]];
    return data;
  },
  (data, threshold) => processData(data, threshold),
  (point) => point[0]);
