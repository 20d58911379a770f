/*
 * Spindle's built-in dashboard: one series, raw (from the edge's raw ring) above downsampled (from the tiers),
 * both over the same time window. The window comes from a range ("last 10 min" of the series' data) or from a
 * zoom (drag-select) and pan (shift+drag, buttons). Every window change asks the API again with max_points equal
 * to the chart's width in CSS pixels, so a zoom gets finer data instead of stretching the coarse points.
 * Plain JS on purpose: the page ships inside the JAR with uPlot vendored next to it, no build step.
 */
(function () {
  'use strict';

  const API = '../api/v1/';
  const RANGES = { '1m': 60e3, '10m': 600e3, '1h': 3600e3 };
  const LIVE_PERIOD_MS = 1000;
  const MIN_WINDOW_MS = 1;
  // data newer than this (against the browser clock) counts as "flowing": live refresh starts on its own
  const FRESH_MS = 30e3;

  const $ = (id) => document.getElementById(id);
  const fmtInt = (n) => (n == null || !isFinite(n) ? '–' : Math.round(n).toLocaleString('en-US'));

  const state = {
    seriesList: [],          // entries of GET /api/v1/series
    tiers: [],               // [{tier, bucket_ms}]
    series: null,            // selected name
    info: null,              // its entry
    range: '10m',
    zoomed: false,
    from: null,              // window [from, to) in epoch ms
    to: null,
    live: false,
    serverMaxPoints: 100000, // the API's bound on max_points (GET /api/v1/series says it)
    liveChosen: false,       // the user (or the URL) decided live; no auto-start then
    seq: 0,                  // window loads started
    loading: 0,              // loads in flight
    last: { tiers: null, raw: null },      // last successful responses
    requests: { tiers: null, raw: null },  // last requests: {url, max_points, from_ms, to_ms, seq}
    drawn: { tiers: 0, raw: 0 },
    errors: {},              // what failed, by context, shown in #error until that context succeeds again
  };

  class ApiError extends Error {
    constructor(status, message, url) {
      super(message);
      this.status = status;
      this.url = url;
    }
  }

  async function getJson(url) {
    let res;
    try {
      res = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    } catch (e) {
      throw new ApiError(0, 'cannot reach the server (' + e.message + ')', url);
    }
    const text = await res.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      body = null;
    }
    if (!res.ok) {
      const why = body && typeof body.error === 'string' ? body.error : (text || res.statusText).slice(0, 300);
      throw new ApiError(res.status, why, url);
    }
    if (body === null || typeof body !== 'object') throw new ApiError(res.status, 'the response is not a JSON object', url);
    return body;
  }

  // ---------- errors ----------

  function showError(context, err) {
    const status = err && err.status ? ' (HTTP ' + err.status + ')' : '';
    state.errors[context] = context + ': ' + (err && err.message ? err.message : String(err)) + status;
    renderErrors();
  }

  function clearError(context) {
    if (!(context in state.errors)) return;
    delete state.errors[context];
    renderErrors();
  }

  function renderErrors() {
    const box = $('error');
    const lines = Object.values(state.errors);
    box.textContent = lines.join('\n');
    box.hidden = lines.length === 0;
  }

  window.addEventListener('error', (e) => showError('Page error', e.error || e.message));
  window.addEventListener('unhandledrejection', (e) => showError('Page error', e.reason));

  // ---------- series list ----------

  const LIST_FAILED = 'Loading the series list failed';

  async function loadSeries() {
    let body;
    try {
      body = await getJson(API + 'series');
    } catch (e) {
      showError(LIST_FAILED, e);
      return false;
    }
    if (!Array.isArray(body.series)) {
      showError(LIST_FAILED, new Error('"series" is not an array'));
      return false;
    }
    clearError(LIST_FAILED);
    if (isFinite(body.max_points) && body.max_points >= 2) state.serverMaxPoints = body.max_points;
    state.seriesList = body.series.filter((s) => s && typeof s.name === 'string');
    state.tiers = Array.isArray(body.tiers) ? body.tiers : [];
    if (state.series) state.info = state.seriesList.find((s) => s.name === state.series) || null;
    renderSeriesOptions();
    return true;
  }

  function matches(name, filter) {
    const n = name.toLowerCase();
    return filter.toLowerCase().split(/\s+/).filter(Boolean).every((w) => n.includes(w));
  }

  function renderSeriesOptions() {
    const sel = $('series');
    const filter = $('series-filter').value;
    const shown = state.seriesList.filter((s) => matches(s.name, filter));
    const names = shown.map((s) => s.name);
    const current = Array.from(sel.options).map((o) => o.value);
    if (names.join('\n') !== current.join('\n')) {
      sel.replaceChildren(...shown.map((s) => {
        const o = document.createElement('option');
        o.value = s.name;
        o.textContent = s.name;
        return o;
      }));
    }
    for (const o of sel.options) o.selected = o.value === state.series;
    $('series-count').textContent = shown.length === state.seriesList.length
      ? '(' + shown.length + ')'
      : '(' + shown.length + ' of ' + state.seriesList.length + ')';
    renderSeriesInfo();
  }

  function renderSeriesInfo() {
    const dl = $('series-info');
    const s = state.info;
    if (!s) {
      dl.replaceChildren();
      return;
    }
    const rows = [
      ['first', s.first_ms <= s.last_ms ? fmtTime(s.first_ms) : '–'],
      ['last', s.first_ms <= s.last_ms ? fmtTime(s.last_ms) : '–'],
      ['raw samples', fmtInt(s.raw_count)],
      ['raw from', s.raw_count > 0 ? fmtTime(s.raw_first_ms) : '–'],
    ];
    (s.tier_counts || []).forEach((n, k) => rows.push(['tier ' + k + ' (' + bucketText(k) + ')', fmtInt(n)]));
    dl.replaceChildren(...rows.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      return [dt, dd];
    }));
  }

  function bucketText(k) {
    const t = state.tiers.find((x) => x && x.tier === k);
    return t && isFinite(t.bucket_ms) ? fmtDuration(t.bucket_ms) : '?';
  }

  function selectSeries(name) {
    const info = state.seriesList.find((s) => s.name === name);
    if (!info) {
      showError('Selecting a series', new Error('unknown series "' + name + '"'));
      return;
    }
    state.series = name;
    state.info = info;
    state.zoomed = false;
    history.replaceState(null, '', '#series=' + encodeURIComponent(name));
    if (!state.liveChosen) setLive(isFresh(info), false);
    renderSeriesOptions();
    windowFromRange();
    loadWindow();
  }

  /** Whether any tier or the raw ring holds a point (a series may have only events, which the charts do not draw). */
  function hasPoints(info) {
    return !!info && (info.raw_count > 0 || (Array.isArray(info.tier_counts) && info.tier_counts.some((n) => n > 0)));
  }

  function isFresh(info) {
    return info && isFinite(info.last_ms) && Date.now() - info.last_ms < FRESH_MS;
  }

  // ---------- the time window ----------

  function dataExtent() {
    const s = state.info;
    // a series without points (only events, say) has first > last
    if (!s || !isFinite(s.first_ms) || !isFinite(s.last_ms) || s.first_ms > s.last_ms) return null;
    return { first: s.first_ms, end: s.last_ms + 1 }; // half-open windows: the newest point is inside
  }

  function windowFromRange() {
    const ext = dataExtent();
    if (!ext) {
      state.from = state.to = null;
    } else if (state.range === 'all') {
      state.from = ext.first;
      state.to = ext.end;
    } else {
      state.to = ext.end;
      state.from = Math.max(ext.first, ext.end - RANGES[state.range]);
    }
    renderWindow();
  }

  function setWindow(from, to) {
    if (!isFinite(from) || !isFinite(to)) return;
    if (to - from < MIN_WINDOW_MS) {
      const mid = (from + to) / 2;
      from = mid - MIN_WINDOW_MS / 2;
      to = mid + MIN_WINDOW_MS / 2;
    }
    state.from = from;
    state.to = to;
    state.zoomed = true;
    renderWindow();
    loadWindow();
  }

  function zoomTo(from, to) {
    if (!state.info) return;
    setWindow(Math.min(from, to), Math.max(from, to));
  }

  function pan(fraction) {
    if (state.from == null) return;
    const w = state.to - state.from;
    let from = state.from + fraction * w;
    const ext = dataExtent();
    // keep some data in view: the window may run past the data by at most half its width
    if (ext) from = Math.min(Math.max(from, ext.first - w / 2), ext.end - w / 2);
    setWindow(from, from + w);
  }

  function zoomBy(factor) {
    if (state.from == null) return;
    const mid = (state.from + state.to) / 2;
    const half = ((state.to - state.from) * factor) / 2;
    setWindow(mid - half, mid + half);
  }

  function resetZoom() {
    state.zoomed = false;
    windowFromRange();
    loadWindow();
  }

  function setRange(r) {
    if (r !== 'all' && !(r in RANGES)) return;
    state.range = r;
    for (const b of document.querySelectorAll('[data-range]')) b.setAttribute('aria-pressed', String(b.dataset.range === r));
    resetZoom();
  }

  function renderWindow() {
    const el = $('window');
    el.dataset.zoomed = String(state.zoomed);
    if (state.from == null) {
      el.dataset.fromMs = el.dataset.toMs = '';
      el.textContent = state.series ? 'series "' + state.series + '" holds no data' : 'no series selected';
      return;
    }
    el.dataset.fromMs = String(state.from);
    el.dataset.toMs = String(state.to);
    el.textContent = fmtTime(state.from) + ' → ' + fmtTime(state.to) + ' (' + fmtDuration(state.to - state.from)
      + (state.zoomed ? ', zoomed' : '') + ')';
  }

  function pad(n, w) {
    return String(n).padStart(w, '0');
  }

  function fmtTime(ms) {
    if (!isFinite(ms)) return '–';
    const d = new Date(ms);
    if (isNaN(d.getTime())) return String(ms); // beyond what a Date holds
    return d.getFullYear() + '-' + pad(d.getMonth() + 1, 2) + '-' + pad(d.getDate(), 2) + ' '
      + pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2) + '.' + pad(d.getMilliseconds(), 3);
  }

  function fmtDuration(ms) {
    if (!isFinite(ms)) return '?';
    if (ms < 1) return +(ms * 1000).toPrecision(3) + ' µs';
    if (ms < 1000) return +ms.toPrecision(3) + ' ms';
    if (ms < 120e3) return +(ms / 1000).toPrecision(3) + ' s';
    if (ms < 7200e3) return +(ms / 60e3).toPrecision(3) + ' min';
    if (ms < 172800e3) return +(ms / 3600e3).toPrecision(3) + ' h';
    return +(ms / 86400e3).toPrecision(3) + ' d';
  }

  // ---------- charts ----------

  const charts = { raw: null, tiers: null };
  let panning = null; // the window {from, to} a shift-drag started from, while it lasts

  function chartHeight() {
    // two charts, their headers and the page chrome fit a 800 px tall window
    return Math.max(170, Math.min(380, Math.floor((window.innerHeight - 300) / 2)));
  }

  function makeChart(source, label, color) {
    const el = $('chart-' + source);
    const opts = {
      width: Math.max(300, el.clientWidth),
      height: chartHeight(),
      scales: {
        x: {
          time: true,
          // without data uPlot asks for a range: show the window, or a placeholder minute
          range: (u, min, max) => (min == null || max == null
            ? (state.from != null ? [state.from / 1000, state.to / 1000] : [Date.now() / 1000 - 60, Date.now() / 1000])
            : [min, max]),
        },
        // an empty chart keeps a y axis (0..1), so the plot width, and with it max_points, does not jump
        y: { range: (u, min, max) => (min == null || max == null ? [0, 1] : uPlot.rangeNum(min, max, 0.1, true)) },
      },
      series: [
        { label: 'time', value: (u, v) => (v == null ? '–' : fmtTime(v * 1000)) },
        // a point with a gap on both sides has no line to draw: it gets a dot, or it would not be seen at all
        { label: label, stroke: color, width: 1.25, spanGaps: false, points: { size: 5, fill: color, filter: isolatedPoints } },
      ],
      axes: [
        { stroke: '#1b1f24', grid: { stroke: '#dde1e6' }, ticks: { stroke: '#b8bec6' } },
        { stroke: '#1b1f24', grid: { stroke: '#dde1e6' }, ticks: { stroke: '#b8bec6' }, size: 64 },
      ],
      cursor: {
        drag: { x: true, y: false, setScale: false }, // the page zooms by asking the API, not by stretching
        sync: { key: 'spindle', setSeries: false },
      },
      hooks: {
        setSelect: [(u) => onSelect(u)],
      },
    };
    const u = new uPlot(opts, [[], []], el);
    u.root.setAttribute('role', 'img');
    u.root.setAttribute('aria-label', label + ' chart of the selected series');
    installPan(el, u);
    return u;
  }

  /** Indices of the non-null values in view whose neighbours are null (or absent). */
  function isolatedPoints(u, seriesIdx, show) {
    if (show) return null; // uPlot draws every point anyway
    const ys = u.data[seriesIdx];
    const [i0, i1] = u.series[seriesIdx].idxs || [0, ys.length - 1];
    const out = [];
    for (let i = Math.max(0, i0); i <= i1 && i < ys.length; i++) {
      if (ys[i] == null) continue;
      if ((i === 0 || ys[i - 1] == null) && (i === ys.length - 1 || ys[i + 1] == null)) out.push(i);
    }
    return out.length > 0 ? out : null;
  }

  function onSelect(u) {
    const sel = u.select;
    if (!sel || sel.width < 3) return; // a click, not a drag
    const a = u.posToVal(sel.left, 'x') * 1000;
    const b = u.posToVal(sel.left + sel.width, 'x') * 1000;
    u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
    zoomTo(a, b);
  }

  function installPan(el, u) {
    // capture phase on the wrapper: a shift+drag never reaches uPlot's own drag-select handler
    el.addEventListener('mousedown', (e) => {
      if (!e.shiftKey || e.button !== 0 || state.from == null || !u.over.contains(e.target)) return;
      e.preventDefault();
      e.stopPropagation();
      const x0 = e.clientX;
      const msPerPx = (state.to - state.from) / Math.max(1, u.over.clientWidth);
      panning = { from: state.from, to: state.to };
      el.classList.add('panning');
      const shifted = (ev) => -(ev.clientX - x0) * msPerPx;
      const move = (ev) => {
        const d = shifted(ev);
        for (const c of Object.values(charts)) if (c) c.setScale('x', { min: (panning.from + d) / 1000, max: (panning.to + d) / 1000 });
      };
      const up = (ev) => {
        window.removeEventListener('mousemove', move, true);
        window.removeEventListener('mouseup', up, true);
        el.classList.remove('panning');
        const d = shifted(ev);
        const p = panning;
        panning = null;
        if (Math.abs(ev.clientX - x0) >= 2) setWindow(p.from + d, p.to + d);
        else showWindowOnCharts();
      };
      window.addEventListener('mousemove', move, true);
      window.addEventListener('mouseup', up, true);
    }, true);
  }

  function showWindowOnCharts() {
    if (state.from == null) return;
    for (const c of Object.values(charts)) if (c) c.setScale('x', { min: state.from / 1000, max: state.to / 1000 });
  }

  function maxPoints(source) {
    const u = charts[source];
    const w = u ? u.over.clientWidth : $('chart-' + source).clientWidth - 70;
    return Math.min(state.serverMaxPoints, Math.max(2, Math.round(w)));
  }

  // ---------- loading a window ----------

  function pointsUrl(source, maxP) {
    const q = new URLSearchParams({
      series: state.series,
      from_ms: String(state.from),
      to_ms: String(state.to),
      max_points: String(maxP),
      source: source,
    });
    return API + 'points?' + q.toString();
  }

  function rawCoverage() {
    const s = state.info;
    if (!s || !(s.raw_count > 0) || !isFinite(s.raw_first_ms)) return { ok: false, why: 'no raw samples are stored for this series' };
    if (state.from < s.raw_first_ms) {
      return {
        ok: false,
        why: 'raw not retained for this range: the raw ring holds ' + fmtTime(s.raw_first_ms) + ' → '
          + fmtTime(s.raw_last_ms) + ' (zoom or pan into it to see raw samples)',
      };
    }
    return { ok: true };
  }

  function loadWindow() {
    if (!state.series) return Promise.resolve();
    const seq = ++state.seq;
    if (state.from == null || !hasPoints(state.info)) {
      unavailable('tiers', seq, 'this series holds no points');
      unavailable('raw', seq, 'this series holds no points');
      return Promise.resolve();
    }
    const tiersLoad = loadInto('tiers', seq);
    const cov = rawCoverage();
    const rawLoad = cov.ok ? loadInto('raw', seq) : Promise.resolve(unavailable('raw', seq, cov.why));
    state.loading++;
    return Promise.all([tiersLoad, rawLoad]).finally(() => state.loading--);
  }

  function panelOf(source) {
    return $('panel-' + source);
  }

  function ids(source) {
    return source === 'raw'
      ? { points: 'points-raw', max: 'max-points-raw', tier: 'tier-raw', cand: 'candidates-raw', ms: 'query-ms-raw', note: 'raw-note' }
      : { points: 'points-tiers', max: 'max-points-tiers', tier: 'tier', cand: 'candidates-tiers', ms: 'query-ms', note: 'tiers-note' };
  }

  function setNote(source, text) {
    const n = $(ids(source).note);
    n.textContent = text || '';
    n.hidden = !text;
  }

  function setStats(source, drawn, maxP, tier, candidates, queryMs) {
    const i = ids(source);
    $(i.points).textContent = fmtInt(drawn);
    $(i.points).dataset.value = drawn == null ? '' : String(drawn);
    $(i.max).textContent = fmtInt(maxP);
    $(i.tier).textContent = tier == null ? '–' : tier < 0 ? 'raw' : tier + ' (' + bucketText(tier) + ' buckets)';
    $(i.tier).dataset.tier = tier == null ? '' : String(tier);
    $(i.cand).textContent = fmtInt(candidates);
    $(i.ms).textContent = queryMs == null || !isFinite(queryMs) ? '–' : queryMs.toFixed(queryMs < 10 ? 2 : 1);
  }

  function unavailable(source, seq, why) {
    const p = panelOf(source);
    state.last[source] = null;
    state.requests[source] = null;
    state.drawn[source] = 0;
    clearError(queryContext(source));
    setNote(source, why);
    setStats(source, null, null, null, null, null);
    draw(source, [[], []]);
    p.dataset.state = 'unavailable';
    p.dataset.seq = String(seq);
  }

  async function loadInto(source, seq) {
    const p = panelOf(source);
    const maxP = maxPoints(source);
    const url = pointsUrl(source, maxP);
    const req = { url: url, max_points: maxP, from_ms: state.from, to_ms: state.to, seq: seq };
    p.dataset.state = 'loading';
    let body;
    try {
      body = await getJson(url);
    } catch (e) {
      if (seq !== state.seq) return;
      state.requests[source] = req;
      p.dataset.state = 'error';
      p.dataset.seq = String(seq);
      setNote(source, e.message + (e.status ? ' (HTTP ' + e.status + ')' : ''));
      // a raw range too big to send is an expected answer ("zoom in"), not a failure worth the banner
      if (source === 'raw' && e.status === 400) clearError(queryContext(source));
      else showError(queryContext(source), e);
      return;
    }
    if (seq !== state.seq) return; // a newer window superseded this one
    const data = toAligned(body);
    if (data.error) {
      p.dataset.state = 'error';
      p.dataset.seq = String(seq);
      setNote(source, 'malformed response: ' + data.error);
      showError(queryContext(source), new Error('malformed response: ' + data.error));
      return;
    }
    clearError(queryContext(source));
    state.last[source] = body;
    state.requests[source] = req;
    state.drawn[source] = data.drawn;
    draw(source, data.aligned);
    setNote(source, data.drawn === 0 ? 'no points in this window' : '');
    setStats(source, data.drawn, maxP, body.tier, body.candidates, body.query_ms);
    p.dataset.maxPoints = String(maxP);
    p.dataset.points = String(data.drawn);
    p.dataset.tier = String(body.tier);
    p.dataset.seq = String(seq);
    p.dataset.state = 'ready';
  }

  function queryContext(source) {
    return (source === 'raw' ? 'Raw' : 'Downsampled') + ' query failed';
  }

  /** The response as uPlot columns (x in seconds); counts the non-null values, which are the points drawn. */
  function toAligned(body) {
    const t = body.t_ms, v = body.v;
    if (!Array.isArray(t) || !Array.isArray(v)) return { error: 't_ms and v must be arrays' };
    if (t.length !== v.length) return { error: 't_ms has ' + t.length + ' entries but v has ' + v.length };
    const n = t.length;
    const xs = new Float64Array(n);
    const ys = new Array(n);
    let drawn = 0;
    for (let i = 0; i < n; i++) {
      if (typeof t[i] !== 'number') return { error: 't_ms[' + i + '] is not a number' };
      xs[i] = t[i] / 1000;
      const y = v[i];
      if (y === null) ys[i] = null;
      else if (typeof y === 'number') {
        ys[i] = y;
        drawn++;
      } else return { error: 'v[' + i + '] is neither a number nor null' };
    }
    return { aligned: [xs, ys], drawn: drawn };
  }

  function draw(source, aligned) {
    const u = charts[source];
    if (!u) return;
    u.batch(() => {
      u.setData(aligned, false);
      if (state.from != null && !panning) u.setScale('x', { min: state.from / 1000, max: state.to / 1000 });
    });
  }

  // ---------- live refresh ----------

  let liveTimer = null;

  function setLive(on, chosen) {
    state.live = !!on;
    if (chosen) state.liveChosen = true;
    $('live').checked = state.live;
    if (liveTimer) clearInterval(liveTimer);
    liveTimer = state.live ? setInterval(liveTick, LIVE_PERIOD_MS) : null;
  }

  async function liveTick() {
    if (state.loading > 0 || panning || !state.series) return; // the previous refresh is still running
    const before = state.info ? state.info.last_ms : null;
    state.loading++;
    try {
      if (!(await loadSeries()) || !state.info) return;
    } finally {
      state.loading--;
    }
    if (state.zoomed) {
      const d = isFinite(before) ? state.info.last_ms - before : 0;
      if (d > 0) {
        state.from += d; // the zoom window slides with the data
        state.to += d;
        renderWindow();
      }
    } else {
      windowFromRange();
    }
    renderSeriesInfo();
    await loadWindow();
  }

  // ---------- wiring ----------

  let resizeTimer = null;

  function onResize() {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      for (const [source, u] of Object.entries(charts)) {
        if (u) u.setSize({ width: Math.max(300, $('chart-' + source).clientWidth), height: chartHeight() });
      }
      loadWindow(); // max_points follows the width
    }, 200);
  }

  function wire() {
    $('series-filter').addEventListener('input', renderSeriesOptions);
    $('series-filter').addEventListener('keydown', (e) => {
      const sel = $('series');
      if (e.key === 'Enter' && sel.options.length > 0) selectSeries(sel.options[0].value);
      if (e.key === 'ArrowDown' && sel.options.length > 0) sel.focus();
    });
    $('series').addEventListener('change', (e) => {
      if (e.target.value) selectSeries(e.target.value);
    });
    $('reload-series').addEventListener('click', async () => {
      if (await loadSeries()) renderSeriesInfo();
    });
    for (const b of document.querySelectorAll('[data-range]')) b.addEventListener('click', () => setRange(b.dataset.range));
    $('pan-left').addEventListener('click', () => pan(-0.5));
    $('pan-right').addEventListener('click', () => pan(0.5));
    $('zoom-in').addEventListener('click', () => zoomBy(0.5));
    $('zoom-out').addEventListener('click', () => zoomBy(2));
    $('zoom-reset').addEventListener('click', resetZoom);
    $('live').addEventListener('change', (e) => setLive(e.target.checked, true));
    window.addEventListener('resize', onResize);
  }

  function fromUrl() {
    const hash = new URLSearchParams(location.hash.slice(1));
    const query = new URLSearchParams(location.search);
    const live = query.get('live');
    if (live === '1' || live === 'true') setLive(true, true);
    if (live === '0' || live === 'false') setLive(false, true);
    const range = query.get('range');
    if (range && (range === 'all' || range in RANGES)) {
      state.range = range;
      for (const b of document.querySelectorAll('[data-range]')) b.setAttribute('aria-pressed', String(b.dataset.range === range));
    }
    return hash.get('series') || query.get('series');
  }

  async function init() {
    wire();
    const wanted = fromUrl();
    charts.raw = makeChart('raw', 'raw', getComputedStyle(document.documentElement).getPropertyValue('--raw').trim() || '#1565c0');
    charts.tiers = makeChart('tiers', 'downsampled', getComputedStyle(document.documentElement).getPropertyValue('--tiers').trim() || '#b23c0a');
    if (!(await loadSeries())) return;
    if (state.seriesList.length === 0) {
      $('window').textContent = 'the store holds no series yet';
      return;
    }
    const first = state.seriesList.find((s) => s.name === wanted) || state.seriesList[0];
    selectSeries(first.name);
  }

  /** What a test or a console user can read and drive. */
  window.spindleDashboard = {
    state: state,
    charts: charts,
    get series() { return state.series; },
    get range() { return state.range; },
    get window() { return { from_ms: state.from, to_ms: state.to, zoomed: state.zoomed }; },
    get last() { return state.last; },
    select: selectSeries,
    setRange: setRange,
    zoom: zoomTo,
    pan: pan,
    resetZoom: resetZoom,
    setLive: (on) => setLive(on, true),
    reload: loadWindow,
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
