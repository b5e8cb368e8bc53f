/* EM player: plays an EM fit from a compact payload (figures/player_payload.py) with plotly.js.
 *
 *   EMPlayer.mount(container, payload, {send})   -> player (also container.__emPlayer)
 *
 * Plotly draws the axes, the static layers (histogram, true clusters) and the learning curve; every
 * frame's moving parts (points coloured by responsibility, rings, ellipses, 1-D densities, means, the
 * revealed learning curve) are computed here from that frame's parameters and written into one SVG
 * layer laid over Plotly's plot area. Why not Plotly.restyle per frame: on this project's 2-core
 * machine, without a GPU, a restyle of 3,000 SVG markers costs ~145 ms and scattergl ~35 ms, while
 * grouped SVG paths (one path per colour and opacity level) render a frame in ~20-30 ms (see the
 * README's benchmark section). The Python twin of the frame computation is figures/frame_state.py.
 *
 * Events sent to the host (options.send(type, value)): see ui/em_player.py. Keys: <- and -> step one
 * frame, Home/End jump to the first/last frame, Space plays or pauses (when focus is not in a field).
 */
(function () {
  "use strict";
  if (window.EMPlayer) return;

  const SVG = "http://www.w3.org/2000/svg";
  const LEVELS = 16; // opacity steps of the drawn points: finer is invisible, coarser shows banding
  const ELLIPSE_POINTS = 61;
  const SIGMA_DASH = {1: "", 2: "7,4", 3: "2,3"};
  const SPEEDS = [0.5, 1, 2, 4];
  const TARGET_TOTAL_MS = 15000; // at 1x the whole animation lasts about this long...
  const MIN_FRAME_MS = 60, MAX_FRAME_MS = 600; // ...within these per-frame bounds
  const NARROW_PX = 680; // below this container width the learning curve goes under the data view
  const STEP_TEXT = {
    initial: "Start: the initial parameters, no responsibilities yet",
    E: "E-step: responsibilities update, ellipses stay",
    M: "M-step: ellipses move, colours stay",
  };
  const SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉";
  const LOG_2PI = Math.log(2 * Math.PI);

  // ------------------------------------------------------------------ payload decoding
  const ARRAY_TYPES = {f8: Float64Array, f4: Float32Array, i1: Int8Array, u1: Uint8Array, i2: Int16Array,
    u2: Uint16Array, i4: Int32Array, u4: Uint32Array};

  function decode(spec) {
    const text = atob(spec.bdata);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return new ARRAY_TYPES[spec.dtype](bytes.buffer);
  }

  function sub(n) { return String(n).split("").map((c) => SUBSCRIPT[+c]).join(""); }
  // Names arrive escaped for Plotly (&amp; &lt; &gt;); HTML here is built with textContent.
  function plain(text) { return String(text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"); }
  function fmt(v, digits) {
    if (!isFinite(v)) return "—";
    const a = Math.abs(v);
    const s = (a !== 0 && (a >= 1e6 || a < 1e-3)) ? v.toExponential(digits - 1) : v.toPrecision(digits);
    return s.replace("-", "−");
  }
  function fmtFixed(v, places) {
    return Number(v).toLocaleString("en-US", {minimumFractionDigits: places, maximumFractionDigits: places}).replace("-", "−");
  }

  // ------------------------------------------------------------------ the model: payload + frame maths
  class Model {
    constructor(payload) {
      this.p = payload;
      this.d = payload.n_features;
      this.k = payload.n_components;
      this.X = decode(payload.points);
      this.n = this.X.length / this.d;
      // No parameters yet while the user places the starting means: one frame, points only.
      const params = payload.params, none = new Float64Array(0);
      this.W = params ? decode(params.weights) : none;
      this.M = params ? decode(params.means) : none;
      this.S = params ? decode(params.covariances) : none;
      this.P = params ? decode(params.precisions_cholesky) : none;
      this.E = this.W.length / this.k;
      this.fitted = !!params;
      this.frames = payload.frames;
      this.F = payload.frames.name.length;
      this.minOpacity = payload.display.min_opacity;
      this.respCache = new Map();
      this.curve = payload.curves[0] || {name: "", x: [0], y: [NaN]};
    }

    weight(e, c) { return this.W[e * this.k + c]; }
    mean(e, c, j) { return this.M[(e * this.k + c) * this.d + j]; }
    cov(e, c, i, j) { return this.S[((e * this.k + c) * this.d + i) * this.d + j]; }

    /* Responsibilities of the drawn points under entry e: Float64Array (n * k), row-major.
       Log space, each component's quadratic form from x - mean (as figures/frame_state.py). */
    resp(e) {
      if (this.respCache.has(e)) return this.respCache.get(e);
      const {n, d, k, X, M, P} = this;
      const out = new Float64Array(n * k);
      const base = new Float64Array(k);
      for (let c = 0; c < k; c++) {
        let logDet = 0;
        const off = (e * k + c) * d * d;
        for (let j = 0; j < d; j++) logDet += Math.log(P[off + j * d + j]);
        base[c] = Math.log(this.weight(e, c)) + logDet - 0.5 * d * LOG_2PI;
      }
      const lp = new Float64Array(k);
      for (let i = 0; i < n; i++) {
        let top = -Infinity;
        for (let c = 0; c < k; c++) {
          const mOff = (e * k + c) * d, pOff = mOff * d;
          let q = 0;
          for (let j = 0; j < d; j++) {
            let y = 0;
            for (let a = 0; a <= j; a++) y += (X[i * d + a] - M[mOff + a]) * P[pOff + a * d + j];
            q += y * y;
          }
          lp[c] = base[c] - 0.5 * q;
          if (lp[c] > top) top = lp[c];
        }
        let total = 0;
        for (let c = 0; c < k; c++) { lp[c] = Math.exp(lp[c] - top); total += lp[c]; }
        for (let c = 0; c < k; c++) out[i * k + c] = lp[c] / total;
      }
      if (this.respCache.size > 12) this.respCache.delete(this.respCache.keys().next().value);
      this.respCache.set(e, out);
      return out;
    }

    winners(resp) {
      const {n, k} = this;
      const w = new Int16Array(n);
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let c = 1; c < k; c++) if (resp[i * k + c] > resp[i * k + best]) best = c;
        w[i] = best;
      }
      return w;
    }

    /* What frame i shows (the twin of figures.frame_state.frame_state). */
    frame(i) {
      const f = this.frames, n = this.n, k = this.k;
      const p = f.params[i], c = f.colours[i], step = f.step[i];
      let resp = null, winner, opacity = new Float64Array(n).fill(1);
      if (c < 0 || !this.fitted) {
        winner = new Int16Array(n).fill(-1);
      } else {
        resp = this.resp(c);
        winner = this.winners(resp);
        if (this.p.algorithm !== "hard" && k > 1) {
          const floor = 1 / k;
          for (let j = 0; j < n; j++) {
            const certainty = Math.min(1, Math.max(0, (resp[j * k + winner[j]] - floor) / (1 - floor)));
            opacity[j] = this.minOpacity + (1 - this.minOpacity) * certainty;
          }
        }
      }
      const changed = new Uint8Array(n);
      const previous = i > 0 ? f.colours[i - 1] : -1;
      if (c >= 0 && previous >= 0 && previous !== c && (step === "E" || step === "iteration")) {
        const before = this.winners(this.resp(previous));
        for (let j = 0; j < n; j++) changed[j] = before[j] !== winner[j] ? 1 : 0;
      }
      let curveEnd = 0;
      for (let j = 0; j < this.curve.x.length; j++) if (this.curve.x[j] <= f.curve_time[i]) curveEnd = j;
      return {index: i, name: f.name[i], step, p, c: c < 0 ? null : c, resp, winner, opacity, changed, curveEnd};
    }

    /* The n-sigma ellipse of component c's marginal over the feature pair: closed form for 2x2. */
    ellipse(e, c, pair, s) {
      const [fi, fj] = pair;
      const a = this.cov(e, c, fi, fi), b = this.cov(e, c, fi, fj), cc = this.cov(e, c, fj, fj);
      const angle = 0.5 * Math.atan2(2 * b, a - cc);
      const gap = Math.hypot(0.5 * (a - cc), b);
      const major = Math.sqrt(Math.max(0.5 * (a + cc) + gap, 0)), minor = Math.sqrt(Math.max(0.5 * (a + cc) - gap, 0));
      const cos = Math.cos(angle), sin = Math.sin(angle), mx = this.mean(e, c, fi), my = this.mean(e, c, fj);
      const xs = new Float64Array(ELLIPSE_POINTS), ys = new Float64Array(ELLIPSE_POINTS);
      for (let t = 0; t < ELLIPSE_POINTS; t++) {
        const theta = 2 * Math.PI * t / (ELLIPSE_POINTS - 1);
        const u = major * Math.cos(theta), v = minor * Math.sin(theta);
        xs[t] = mx + s * (cos * u - sin * v);
        ys[t] = my + s * (sin * u + cos * v);
      }
      return [xs, ys];
    }

    /* Weighted 1-D component densities on the grid: k arrays. */
    densities(e, grid) {
      const out = [];
      for (let c = 0; c < this.k; c++) {
        const w = this.weight(e, c), mu = this.mean(e, c, 0), v = this.cov(e, c, 0, 0);
        const norm = w / Math.sqrt(2 * Math.PI * v), ys = new Float64Array(grid.length);
        for (let t = 0; t < grid.length; t++) { const z = grid[t] - mu; ys[t] = norm * Math.exp(-0.5 * z * z / v); }
        out.push(ys);
      }
      return out;
    }

    logLikelihood(entry) { return this.curve.y[entry]; }
  }

  // ------------------------------------------------------------------ small DOM helpers
  function el(tag, cls, parent, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }
  function svg(tag, attrs, parent) {
    const node = document.createElementNS(SVG, tag);
    for (const key in attrs) node.setAttribute(key, attrs[key]);
    if (parent) parent.appendChild(node);
    return node;
  }
  function axisMap(ax) {
    // Plotly's linear-to-pixel map of an axis, relative to the plot area's origin.
    if (typeof ax.l2p === "function") return (v) => ax.l2p(v);
    const [lo, hi] = ax.range;
    return (v) => (v - lo) / (hi - lo) * ax._length;
  }
  function polyline(xs, ys, X, Y) {
    let d = "";
    for (let t = 0; t < xs.length; t++) d += (t ? "L" : "M") + X(xs[t]).toFixed(1) + "," + Y(ys[t]).toFixed(1);
    return d;
  }
  let clipCounter = 0;

  /* An SVG layer over a Plotly graph's plot area, redrawn after every Plotly redraw (zoom, resize).
     One per graph div: a new payload reuses it with a new drawing callback. */
  class Overlay {
    static of(gd, onRedraw) {
      const overlay = gd.__empOverlay || (gd.__empOverlay = new Overlay(gd));
      overlay.onRedraw = onRedraw;
      overlay.built = false;
      return overlay;
    }
    constructor(gd) {
      this.gd = gd;
      this.id = "emp-clip-" + (++clipCounter);
    }
    listen() {
      // Plotly.newPlot drops a graph's listeners: (re)attach after each one.
      this.gd.removeAllListeners && this.gd.removeAllListeners("plotly_afterplot");
      this.gd.on("plotly_afterplot", () => this.attach());
    }
    attach() {
      const fl = this.gd._fullLayout;
      if (!fl || !fl.xaxis) return;
      // An SVG of its own over the graph, on its own compositing layer: a frame repaints only what
      // moves, never Plotly's axes, grid and static traces underneath.
      if (!this.svgEl || !this.svgEl.isConnected) {
        this.svgEl = svg("svg", {class: "emp-overlay"});
        this.root = svg("g", {class: "emp-layer"}, this.svgEl);
        const clip = svg("clipPath", {id: this.id}, this.root);
        this.clipRect = svg("rect", {x: 0, y: 0}, clip);
        this.clipped = svg("g", {"clip-path": `url(#${this.id})`}, this.root);
        this.free = svg("g", {}, this.root);
        this.built = false;
      }
      if (this.svgEl.parentNode !== this.gd) this.gd.appendChild(this.svgEl);
      const xa = fl.xaxis, ya = fl.yaxis;
      this.root.setAttribute("transform", `translate(${xa._offset},${ya._offset})`);
      this.clipRect.setAttribute("width", xa._length);
      this.clipRect.setAttribute("height", ya._length);
      this.X = axisMap(xa);
      this.Y = axisMap(ya);
      this.width = xa._length;
      this.height = ya._length;
      this.offset = [xa._offset, ya._offset];
      this.onRedraw();
    }
  }

  // ------------------------------------------------------------------ the data view (2-D scatter or 1-D density)
  class DataView {
    constructor(plotDiv, model, payload) {
      this.gd = plotDiv;
      this.m = model;
      this.p = payload;
      this.view = payload.view;
      this.style = payload.display.style;
      this.colors = payload.display.colors;
      this.lines = payload.display.lines;
      this.state = null;
      this.dragging = null;
    }

    /* What the Plotly graph itself shows (axes, static layers, size): if a new payload keeps it, only
       the overlay is redrawn, which is what makes a click's new fit quick to appear. */
    baseKey(height) {
      const p = this.p;
      return JSON.stringify([height, p.view, p.display, p.truth, p.features, this.editing()]);
    }

    async draw(height, Plotly) {
      const key = this.baseKey(height);
      if (this.gd.__empBaseKey === key && this.gd._fullLayout) {
        this.overlay = Overlay.of(this.gd, () => this.redraw());
        this.overlay.attach();
        return;
      }
      const p = this.p, st = this.style, ink = p.display.ink, v = this.view;
      const axisStyle = (title) => ({
        title: {text: title, font: {size: st.title_size, color: ink}, standoff: 6},
        tickfont: {size: st.tick_size, color: ink}, zeroline: false, showline: true, linecolor: "#bbbbbb",
        gridcolor: "#eeeeee", automargin: true,
      });
      const layout = {
        height, margin: {l: 12, r: 12, t: 8, b: 8}, showlegend: false, hovermode: false,
        dragmode: this.editing() ? false : "zoom", paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff",
        font: {size: st.font_size, color: ink},
        xaxis: Object.assign(axisStyle(p.features[v.pair[0]]), {range: v.x_range.slice(), autorange: false}),
        yaxis: Object.assign(axisStyle(v.kind === "scatter" ? p.features[v.pair[1]] : "density"),
                             {range: v.y_range.slice(), autorange: false}),
      };
      if (p.display.equal_axes) Object.assign(layout.yaxis, {scaleanchor: "x", scaleratio: 1});
      const traces = [{type: "scatter", x: [], y: [], mode: "markers", hoverinfo: "skip", showlegend: false}];
      if (v.kind === "density") traces.push(this.histogramTrace());
      if (p.truth) traces.push(v.kind === "scatter" ? this.truthEllipsesTrace() : this.truthDensityTrace());
      const config = {displaylogo: false, responsive: false, scrollZoom: false, doubleClick: "reset",
                      modeBarButtonsToRemove: ["toImage", "select2d", "lasso2d", "autoScale2d"]};
      await Plotly.newPlot(this.gd, traces, layout, config);
      this.gd.__empBaseKey = key;
      this.overlay = Overlay.of(this.gd, () => this.redraw());
      this.overlay.listen();
      this.overlay.attach();
    }

    editing() { return (this.p.interaction || {}).mode && this.p.interaction.mode !== "view"; }

    histogramTrace() {
      const h = this.view.histogram, x = [h.edges[0]], y = [0];
      for (let i = 0; i < h.heights.length; i++) { x.push(h.edges[i]); y.push(h.heights[i]); }
      x.push(h.edges[h.edges.length - 1]); y.push(0);
      return {type: "scatter", x, y, mode: "lines", line: {shape: "hv", color: "#bdbdbd", width: 1}, fill: "tozeroy",
              fillcolor: "rgba(189,189,189,0.45)", hoverinfo: "skip", showlegend: false};
    }

    truthEllipsesTrace() {
      const t = this.p.truth, means = decode(t.means), covs = decode(t.covariances), d = this.m.d;
      const kt = decode(t.weights).length, pair = this.view.pair, x = [], y = [];
      const truthModel = {cov: (e, c, i, j) => covs[(c * d + i) * d + j], mean: (e, c, j) => means[c * d + j]};
      for (const s of [1, 2]) for (let c = 0; c < kt; c++) {
        const [xs, ys] = Model.prototype.ellipse.call(truthModel, 0, c, pair, s);
        x.push(...xs, null); y.push(...ys, null);
      }
      return {type: "scatter", x, y, mode: "lines", line: {color: this.p.display.truth_color, dash: "dash", width: 1.5},
              hoverinfo: "skip", showlegend: false, connectgaps: false};
    }

    truthDensityTrace() {
      const t = this.p.truth, grid = this.grid(), means = decode(t.means), covs = decode(t.covariances), w = decode(t.weights);
      const y = new Array(grid.length).fill(0);
      for (let c = 0; c < w.length; c++) for (let i = 0; i < grid.length; i++) {
        const z = grid[i] - means[c];
        y[i] += w[c] * Math.exp(-0.5 * z * z / covs[c]) / Math.sqrt(2 * Math.PI * covs[c]);
      }
      return {type: "scatter", x: Array.from(grid), y, mode: "lines", hoverinfo: "skip", showlegend: false,
              line: {color: this.p.display.truth_color, dash: "dash", width: 2}};
    }

    grid() {
      if (!this._grid) {
        const [lo, hi] = this.view.x_range, n = this.view.grid_points;
        this._grid = new Float64Array(n);
        for (let i = 0; i < n; i++) this._grid[i] = lo + (hi - lo) * i / (n - 1);
      }
      return this._grid;
    }

    /* Build the overlay's elements once per Plotly redraw; pixel positions of the points once too. */
    redraw() {
      const o = this.overlay, m = this.m, k = m.k;
      if (!o.built) {
        o.clipped.textContent = "";
        o.free.textContent = "";
        this.pointGroup = svg("g", {class: "emp-points"}, o.clipped);
        this.pointPaths = new Map();
        this.rings = svg("path", {class: "emp-rings", fill: "none", stroke: this.p.display.ink, "stroke-width": 1.6}, o.clipped);
        this.curves = [];
        if (this.view.kind === "scatter") {
          for (let c = 0; c < k; c++) for (const s of [1, 2, 3]) {
            this.curves.push(svg("path", {class: `emp-ellipse emp-c${c}`, fill: "none", stroke: this.lines[c],
              "stroke-width": this.style.line_width, "stroke-dasharray": SIGMA_DASH[s]}, o.clipped));
          }
        } else {
          for (let c = 0; c < k; c++) this.curves.push(svg("path", {class: `emp-density emp-c${c}`, fill: "none",
            stroke: this.colors[c], "stroke-width": this.style.line_width}, o.clipped));
          this.mixture = svg("path", {class: "emp-mixture", fill: "none", stroke: this.p.display.ink,
            "stroke-width": this.style.line_width * 1.8}, o.clipped);
        }
        this.meanNodes = [];
        for (let c = 0; c < k; c++) this.meanNodes.push(this.meanMarker(c, o.free));
        this.placedGroup = svg("g", {class: "emp-placed"}, o.free);
        o.built = true;
      }
      const {X, Y} = o, d = m.d, pair = this.view.pair, n = m.n;
      this.px = new Float64Array(n);
      this.py = new Float64Array(n);
      const rugY = this.view.kind === "density" ? Y(this.view.rug_y) : 0;
      for (let i = 0; i < n; i++) {
        this.px[i] = X(m.X[i * d + pair[0]]);
        this.py[i] = this.view.kind === "scatter" ? Y(m.X[i * d + pair[1]]) : rugY;
      }
      this.pointHeads = new Array(n);
      const r = this.style.point_size / 2;
      for (let i = 0; i < n; i++) {
        this.pointHeads[i] = this.view.kind === "scatter"
          ? "M" + (this.px[i] - r).toFixed(1) + "," + this.py[i].toFixed(1)
          : "M" + this.px[i].toFixed(1) + "," + (this.py[i] - this.style.rug_size / 2).toFixed(1);
      }
      this.pointPaths.forEach((path) => path.setAttribute("d", ""));
      if (this.state) this.render(this.state, true);
      this.renderPlaced();
    }

    /* A point just drawn, shown at once while the server refits. */
    showPending(point) {
      if (!this.placedGroup) return;
      const [x, y] = this.placedPixel(point);
      const rugY = this.view.kind === "density" ? this.overlay.Y(this.view.rug_y) : y;
      svg("circle", {class: "emp-pending", cx: x.toFixed(1), cy: rugY.toFixed(1),
                     r: this.style.point_size / 2 + 1, fill: this.p.display.ink, "fill-opacity": 0.7}, this.placedGroup);
    }

    /* The starting means placed by hand (init 'manual'): numbered rings, which the user drags. */
    placed() { return ((this.p.interaction || {}).placed || []).slice(); }

    placedPixel(point) {
      const o = this.overlay, pair = this.view.pair;
      return [o.X(point[pair[0]]), this.view.kind === "scatter" ? o.Y(point[pair[1]]) : o.Y(0)];
    }

    renderPlaced(points) {
      if (!this.placedGroup) return;
      points = points || this.placed();
      this.placedGroup.textContent = "";
      const r = Math.max(9, this.style.mean_size * 0.75), ink = this.p.display.ink;
      points.forEach((point, i) => {
        const [x, y] = this.placedPixel(point);
        const g = svg("g", {class: "emp-placed-mean", "data-index": i, transform: `translate(${x.toFixed(1)},${y.toFixed(1)})`},
                      this.placedGroup);
        // A ring around the mean, and its number on a badge beside it (the frame's mean shows inside).
        svg("circle", {r, fill: "none", stroke: "#ffffff", "stroke-width": 5}, g);
        svg("circle", {r, fill: "none", stroke: this.colors[i % this.colors.length], "stroke-width": 2.5}, g);
        const b = r * 0.8, size = Math.round(r * 1.05);
        svg("circle", {cx: b, cy: -b, r: size * 0.62, fill: "#ffffff", stroke: ink, "stroke-width": 1}, g);
        const label = svg("text", {x: b, y: -b, "text-anchor": "middle", dy: "0.35em", "font-size": size,
                                   "font-weight": 700, fill: ink}, g);
        label.textContent = String(i + 1);
      });
    }

    /* Index of the placed mean under a plot-area pixel, or -1. */
    placedAt(x, y) {
      const r = Math.max(9, this.style.mean_size * 0.75) + 5;
      let best = -1, bestD = r * r;
      this.placed().forEach((point, i) => {
        const [px, py] = this.placedPixel(point);
        const dd = (px - x) ** 2 + (py - y) ** 2;
        if (dd <= bestD) { best = i; bestD = dd; }
      });
      return best;
    }

    /* Plot-area pixel -> data coordinates of the drawn pair (1-D: [x]). */
    toData(x, y) {
      const fl = this.gd._fullLayout, xa = fl.xaxis, ya = fl.yaxis;
      const inv = (ax, v) => (typeof ax.p2l === "function" ? ax.p2l(v) : ax.range[0] + v / ax._length * (ax.range[1] - ax.range[0]));
      const invY = (v) => (typeof ya.p2l === "function" ? ya.p2l(v) : ya.range[1] - v / ya._length * (ya.range[1] - ya.range[0]));
      return this.view.kind === "scatter" ? [inv(xa, x), invY(y)] : [inv(xa, x)];
    }

    meanMarker(c, parent) {
      const s = this.style.mean_size / 2;
      const g = svg("g", {class: "emp-mean", "data-component": c}, parent);
      if (this.view.kind === "scatter") {
        const cross = `M${-s},${-s}L${s},${s}M${-s},${s}L${s},${-s}`;
        svg("path", {d: cross, stroke: "#ffffff", "stroke-width": 6, "stroke-linecap": "round"}, g);
        svg("path", {d: cross, stroke: this.colors[c], "stroke-width": 3.2, "stroke-linecap": "round"}, g);
      } else {
        svg("path", {d: `M0,${-s}L${s * 0.8},0L0,${s}L${-s * 0.8},0Z`, fill: this.colors[c], stroke: "#ffffff", "stroke-width": 1.5}, g);
      }
      return g;
    }

    pointPath(key) {
      if (!this.pointPaths.has(key)) {
        const attrs = key < 0
          ? {fill: this.p.display.unassigned_color, "fill-opacity": this.p.display.unassigned_opacity}
          : {fill: this.colors[Math.floor(key / LEVELS)], "fill-opacity": this.levelAlpha(key % LEVELS)};
        if (this.view.kind === "density") {
          attrs.stroke = attrs.fill; attrs["stroke-opacity"] = attrs["fill-opacity"]; attrs.fill = "none";
          attrs["stroke-width"] = Math.max(1, this.style.line_width * 0.6);
        }
        attrs.class = "emp-point-group";
        attrs["data-key"] = key;
        this.pointPaths.set(key, svg("path", attrs, this.pointGroup));
      }
      return this.pointPaths.get(key);
    }

    levelAlpha(level) { return (this.m.minOpacity + (1 - this.m.minOpacity) * level / (LEVELS - 1)).toFixed(3); }

    level(opacity) { return Math.round((opacity - this.m.minOpacity) / (1 - this.m.minOpacity) * (LEVELS - 1)); }

    render(state, force) {
      const previous = this.state;
      this.state = state;
      if (!this.overlay || !this.overlay.built) return;
      const m = this.m, n = m.n, o = this.overlay, {X, Y} = o;
      // Points: one path per (component, opacity level), rebuilt only when the colouring changed.
      if (force || !previous || previous.c !== state.c) {
        const parts = new Map();
        const r = this.style.point_size / 2, arc = `a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`;
        const tick = "v" + this.style.rug_size;
        const tail = this.view.kind === "scatter" ? arc : tick;
        for (let i = 0; i < n; i++) {
          const key = state.winner[i] < 0 ? -1 : state.winner[i] * LEVELS + this.level(state.opacity[i]);
          let list = parts.get(key);
          if (!list) parts.set(key, list = []);
          list.push(this.pointHeads[i] + tail);
        }
        this.pointPaths.forEach((path, key) => { if (!parts.has(key)) path.setAttribute("d", ""); });
        parts.forEach((list, key) => this.pointPath(key).setAttribute("d", list.join("")));
      }
      let rings = "";
      const rr = this.style.point_size / 2 + 3;
      for (let i = 0; i < n; i++) {
        if (!state.changed[i]) continue;
        rings += `M${(this.px[i] - rr).toFixed(1)},${this.py[i].toFixed(1)}a${rr},${rr} 0 1,0 ${2 * rr},0a${rr},${rr} 0 1,0 ${-2 * rr},0`;
      }
      this.rings.setAttribute("d", rings);
      // Ellipses (2-D) or densities (1-D), and the means, from the frame's parameters.
      const e = state.p;
      this.meanNodes.forEach((node) => node.setAttribute("visibility", e < 0 ? "hidden" : "visible"));
      if (e < 0) {  // no fit yet: no ellipses, densities or means
        this.curves.forEach((path) => path.setAttribute("d", ""));
        if (this.mixture) this.mixture.setAttribute("d", "");
        return;
      }
      if (this.view.kind === "scatter") {
        let j = 0;
        for (let c = 0; c < m.k; c++) for (const s of [1, 2, 3]) {
          const [xs, ys] = m.ellipse(e, c, this.view.pair, s);
          this.curves[j++].setAttribute("d", polyline(xs, ys, X, Y));
        }
      } else {
        const grid = this.grid(), dens = m.densities(e, grid), mix = new Float64Array(grid.length);
        for (let c = 0; c < m.k; c++) {
          this.curves[c].setAttribute("d", polyline(grid, dens[c], X, Y));
          for (let t = 0; t < grid.length; t++) mix[t] += dens[c][t];
        }
        this.mixture.setAttribute("d", polyline(grid, mix, X, Y));
      }
      for (let c = 0; c < m.k; c++) {
        const [x, y] = this.meanPixel(e, c);
        this.meanNodes[c].setAttribute("transform", `translate(${x.toFixed(1)},${y.toFixed(1)})`);
      }
    }

    meanPixel(e, c) {
      const o = this.overlay, pair = this.view.pair;
      const x = o.X(this.m.mean(e, c, pair[0]));
      const y = this.view.kind === "scatter" ? o.Y(this.m.mean(e, c, pair[1])) : o.Y(0);
      return [x, y];
    }

    /* The mean or point under a plot-area pixel, for hover: {kind, index} or null. */
    hit(x, y) {
      if (!this.state || !this.overlay) return null;
      let best = null, bestD = (this.style.mean_size / 2 + 4) ** 2;
      for (let c = 0; c < (this.state.p < 0 ? 0 : this.m.k); c++) {
        const [mx, my] = this.meanPixel(this.state.p, c);
        const dd = (mx - x) ** 2 + (my - y) ** 2;
        if (dd <= bestD) { best = {kind: "mean", index: c}; bestD = dd; }
      }
      if (best) return best;
      bestD = Math.max(36, (this.style.point_size / 2 + 3) ** 2);
      if (this.view.kind === "density") bestD = 64;
      for (let i = 0; i < this.m.n; i++) {
        const dy = this.view.kind === "scatter" ? this.py[i] - y : (Math.abs(this.py[i] - y) < this.style.rug_size ? 0 : 1e9);
        const dd = (this.px[i] - x) ** 2 + dy * dy;
        if (dd < bestD) { best = {kind: "point", index: i}; bestD = dd; }
      }
      return best;
    }
  }

  // ------------------------------------------------------------------ the learning curve
  class CurveView {
    constructor(plotDiv, model, payload) {
      this.gd = plotDiv;
      this.m = model;
      this.p = payload;
      this.state = null;
    }

    async draw(height, Plotly) {
      const p = this.p, st = this.p.display.style, ink = p.display.ink;
      const series = p.curves;
      const allX = [].concat(...series.map((s) => s.x)), allY = [].concat(...series.map((s) => s.y)).filter(isFinite);
      const xMax = Math.max(1, ...allX);
      let lo = Math.min(...allY), hi = Math.max(...allY);
      if (!(hi > lo)) { lo -= 1; hi += 1; }
      const pad = 0.08 * (hi - lo);
      const axis = (title, range) => ({
        title: {text: title, font: {size: st.title_size, color: ink}, standoff: 4}, range, autorange: false,
        tickfont: {size: st.tick_size, color: ink}, zeroline: false, showline: true, linecolor: "#bbbbbb",
        gridcolor: "#eeeeee", automargin: true, nticks: 6,
      });
      const traces = series.map((s) => ({
        type: "scatter", x: s.x, y: s.y, mode: "lines+markers", name: s.name, showlegend: false,
        line: {color: "#c8c8c8", width: 1.2}, marker: {size: st.curve_marker_size, color: "#c8c8c8"},
        hovertemplate: `iteration %{x}<br>${s.name} %{y:,.3f}<extra></extra>`,
      }));
      if (p.reseeds.length) {
        traces.push({
          type: "scatter", mode: "markers", showlegend: false, name: "component re-seeded",
          x: p.reseeds.map((r) => series[0].x[r.entry]), y: p.reseeds.map((r) => series[0].y[r.entry]),
          marker: {symbol: "x", size: st.mean_size, color: "#d62728"},
          hovertext: p.reseeds.map((r) => `iteration ${series[0].x[r.entry]}: ` +
            (r.component < 0 ? "the shared covariance" : `component ${r.component + 1}`) + ` re-seeded<br>${r.reason}`),
          hoverinfo: "text",
        });
      }
      const layout = {
        height, margin: {l: 8, r: 14, t: 14, b: 8}, showlegend: false, hovermode: "closest",
        paper_bgcolor: "#ffffff", plot_bgcolor: "#ffffff", font: {size: st.font_size, color: ink},
        xaxis: axis("iteration", [-0.02 * xMax, xMax * 1.02]), yaxis: axis(series[0].name, [lo - pad, hi + pad]),
      };
      await Plotly.react(this.gd, traces, layout, {displayModeBar: false, responsive: false});
      this.overlay = Overlay.of(this.gd, () => this.redraw());
      this.overlay.listen();
      this.overlay.attach();
    }

    redraw() {
      const o = this.overlay;
      if (!o.built) {
        o.clipped.textContent = "";
        o.free.textContent = "";
        const st = this.p.display.style, ink = this.p.display.ink;
        this.paths = this.p.curves.map(() => svg("path", {fill: "none", stroke: ink, "stroke-width": st.line_width * 0.8}, o.clipped));
        // The current value sits outside the clip, so it is whole at the first and last frame.
        this.marker = svg("circle", {class: "emp-current", r: st.mean_size / 2, fill: "none", stroke: ink,
          "stroke-width": st.line_width}, o.free);
        o.built = true;
      }
      if (this.state) this.render(this.state);
    }

    render(state) {
      this.state = state;
      const o = this.overlay;
      if (!o || !o.built || !this.m.fitted) return;
      const t = this.m.frames.curve_time[state.index];
      this.p.curves.forEach((s, j) => {
        const xs = [], ys = [];
        for (let i = 0; i < s.x.length; i++) if (s.x[i] <= t && isFinite(s.y[i])) { xs.push(s.x[i]); ys.push(s.y[i]); }
        this.paths[j].setAttribute("d", xs.length ? polyline(xs, ys, o.X, o.Y) : "");
      });
      const main = this.p.curves[0];
      this.marker.setAttribute("cx", o.X(main.x[state.curveEnd]).toFixed(1));
      this.marker.setAttribute("cy", o.Y(main.y[state.curveEnd]).toFixed(1));
    }
  }

  // ------------------------------------------------------------------ the player: layout, controls, playback
  class Player {
    constructor(container, payload, options) {
      performance.mark("emp-mount");
      this.container = container;
      this.options = options || {};
      this.Plotly = window.__empPlotly || window.Plotly;
      this.index = 0;
      this.speed = 1;
      this.playing = false;
      this.build();
      this.load(payload, true);
      this.onKey = (event) => this.key(event);
      document.addEventListener("keydown", this.onKey);
      this.onResize = () => this.resize();
      window.addEventListener("resize", this.onResize);
    }

    build() {
      const root = this.root = el("div", "emp");
      root.tabIndex = -1;
      const top = el("div", "emp-top", root);
      this.legend = el("div", "emp-legend", top);
      this.tools = el("div", "emp-tools", top);
      this.tools.setAttribute("role", "toolbar");
      this.tools.setAttribute("aria-label", "What a click on the plot does");
      const stage = this.stage = el("div", "emp-stage", root);
      const view = this.viewBox = el("div", "emp-view", stage);
      this.dataDiv = el("div", "emp-plot emp-data", view);
      this.stepLabel = el("div", "emp-step-label", view);
      this.tooltip = el("div", "emp-tooltip", view);
      this.tooltip.hidden = true;
      const side = this.side = el("div", "emp-side", stage);
      this.curveDiv = el("div", "emp-plot emp-curve", side);
      this.readout = el("div", "emp-readout", side);
      this.readout.setAttribute("aria-live", "off");
      for (const [field, label] of [["frame", ""], ["step", ""], ["value", ""], ["change", ""]]) {
        const row = el("div", "emp-readout-row emp-" + field, this.readout);
        row.dataset.field = field;
        if (label) el("span", "emp-readout-label", row, label);
        el("span", "emp-readout-value", row);
      }
      const controls = this.controls = el("div", "emp-controls", root);
      const playRow = el("div", "emp-play-row", controls);
      this.playButton = el("button", "emp-play", playRow, "▶ Play");
      this.playButton.type = "button";
      this.playButton.setAttribute("aria-label", "Play");
      this.playButton.onclick = () => (this.playing ? this.pause() : this.play());
      const stepRow = el("div", "emp-step-row", controls);
      const button = (text, label, action) => {
        const b = el("button", "emp-step", stepRow, text);
        b.type = "button";
        b.title = label;
        b.setAttribute("aria-label", label);
        b.onclick = () => { this.pause(); action(); };
        return b;
      };
      this.firstButton = button("|◀", "First frame", () => this.go(0));
      this.prevButton = button("◀", "Previous frame", () => this.go(this.index - 1));
      this.nextButton = button("▶", "Next frame", () => this.go(this.index + 1));
      this.lastButton = button("▶|", "Last frame", () => this.go(this.model.F - 1));
      const speed = this.speedSelect = el("select", "emp-speed", stepRow);
      speed.setAttribute("aria-label", "Speed");
      for (const s of SPEEDS) {
        const option = el("option", "", speed, s + "×");
        option.value = String(s);
        if (s === 1) option.selected = true;
      }
      speed.onchange = () => { this.speed = Number(speed.value); };
      const sliderRow = el("div", "emp-slider-row", controls);
      this.slider = el("input", "emp-slider", sliderRow);
      this.slider.type = "range";
      this.slider.min = "0";
      this.slider.step = "1";
      this.slider.setAttribute("aria-label", "Frame");
      this.slider.oninput = () => { this.pause(); this.go(Number(this.slider.value)); };
      this.frameLabel = el("span", "emp-frame-label", sliderRow);
      this.caption = el("div", "emp-caption", root);
      const placeholder = this.container.querySelector(".emp-loading");
      if (placeholder) placeholder.remove();
      this.container.appendChild(root);
      this.container.__emPlayer = this;
      root.__emPlayer = this;
      this.dataDiv.addEventListener("mousemove", (e) => this.hover(e));
      this.dataDiv.addEventListener("mouseleave", () => { this.tooltip.hidden = true; });
      // Editing (placing means, drawing points): pointer events in the capture phase, before Plotly's.
      this.dataDiv.addEventListener("pointerdown", (e) => this.pointerDown(e), true);
      this.dataDiv.addEventListener("pointermove", (e) => this.pointerMove(e), true);
      this.dataDiv.addEventListener("pointerup", (e) => this.pointerUp(e), true);
      this.dataDiv.addEventListener("pointercancel", () => { this.pressed = null; }, true);
    }

    /* A new payload (a new fit, or new display options): keep the frame position where it makes sense. */
    load(payload, first) {
      const atEnd = this.model && this.index === this.model.F - 1 && this.index > 0;
      this.pause();
      this.payload = payload;
      this.model = new Model(payload);
      this.root.classList.toggle("emp-presentation", !!payload.display.presentation);
      this.root.classList.remove("emp-waiting");
      this.root.classList.toggle("emp-editing", this.mode() !== "view");
      this.root.dataset.mode = this.mode();
      this.curveDiv.hidden = !this.model.fitted;
      this.dataView = new DataView(this.dataDiv, this.model, payload);
      this.curveView = new CurveView(this.curveDiv, this.model, payload);
      this.index = first ? 0 : (atEnd ? this.model.F - 1 : Math.min(this.index, this.model.F - 1));
      this.slider.max = String(this.model.F - 1);
      this.fillLegend();
      this.fillTools();
      this.fillCaption();
      this.busy = true;
      this.ready = this.drawAll().then(() => { this.go(this.index, true); performance.mark("emp-frame"); return this.fitWindow(); })
        .then(() => { this.busy = false; });
      return this.ready;
    }

    fillLegend() {
      const p = this.payload, legend = this.legend;
      legend.textContent = "";
      for (let c = 0; c < this.model.k; c++) {
        const item = el("span", "emp-legend-item", legend);
        const swatch = el("span", "emp-swatch", item);
        swatch.style.background = p.display.colors[c];
        el("span", "", item, "component " + (c + 1));
      }
      if (p.view.kind === "scatter") {
        for (const [s, dash] of [[1, "solid"], [2, "dashed"], [3, "dotted"]]) {
          const item = el("span", "emp-legend-item emp-legend-sigma", legend);
          const line = el("span", "emp-line", item);
          line.style.borderTopStyle = dash;
          el("span", "", item, s + "σ");
        }
      } else {
        const item = el("span", "emp-legend-item", legend);
        el("span", "emp-line emp-line-thick", item);
        el("span", "", item, "mixture");
      }
      if (p.truth) {
        const item = el("span", "emp-legend-item", legend);
        const line = el("span", "emp-line", item);
        line.style.borderTopStyle = "dashed";
        line.style.borderTopColor = p.display.truth_color;
        el("span", "", item, "true clusters");
      }
    }

    /* The editing tools this payload allows: Add points / Erase (a drawing), Place means (init
       'manual'), Edit these points (a preset becomes a drawing). The chosen tool survives new payloads. */
    fillTools() {
      const interaction = this.payload.interaction || {}, tools = this.options.send ? (interaction.tools || []) : [];
      const labels = {add: ["✏️ Add points", "Add points"], erase: ["🧽 Erase", "Erase points"],
                      means: ["📍 Place means", "Place means"], edit: ["✏️ Edit these points", "Edit these points"]};
      this.tools.textContent = "";
      if (!tools.includes(this.tool)) this.tool = null;
      const switchable = tools.filter((t) => t !== "edit");
      for (const tool of tools) {
        if (tool !== "edit" && switchable.length < 2) continue; // one tool: nothing to choose
        const [text, label] = labels[tool] || [tool, tool];
        const b = el("button", "emp-tool", this.tools, text);
        b.type = "button";
        b.setAttribute("aria-label", label);
        b.dataset.tool = tool;
        if (tool === "edit") {
          b.title = "Turn these points into a drawing you can edit: add points, erase them";
          b.onclick = () => this.send("edit_points", true);
        } else {
          b.setAttribute("aria-pressed", String(this.mode() === tool));
          b.onclick = () => { this.tool = tool; this.fillTools(); this.fillCaption(); this.updateReadout(this.shown || this.model.frame(this.index)); };
        }
      }
      this.root.dataset.mode = this.mode();
      this.root.classList.toggle("emp-editing", this.mode() !== "view");
    }

    fillCaption() {
      const p = this.payload, parts = [];
      if (this.model.n < p.n_samples) {
        parts.push(`Showing ${this.model.n.toLocaleString("en-US")} of ${p.n_samples.toLocaleString("en-US")} points.`);
      }
      if (p.view.kind === "scatter" && !p.display.equal_axes) {
        parts.push("The axes have different scales here, so circles look stretched.");
      }
      const mode = this.mode(), dims = p.n_features === 1 ? "on the axis " : "";
      if (mode === "means") {
        parts.push(`Click ${dims}to place a starting mean (beyond k = ${p.n_components} the oldest is replaced); ` +
                   "drag a numbered ring to move it. EM refits from there.");
      } else if (mode === "add") {
        parts.push(`Click ${dims}to add a point; Shift-click (or the eraser) removes the nearest one. EM refits each time.`);
      } else if (mode === "erase") {
        parts.push("Click next to a point to erase it.");
      }
      this.caption.textContent = parts.join(" ");
      this.caption.hidden = !parts.length;
    }

    /* Heights of the data view and the learning curve. Presentation mode (and the offline page) fill
       the window below the player's top, so that the figure, Play and the slider fit one screen; on a
       narrow screen the curve goes under the controls (see the CSS), so it need not fit. */
    sizes() {
      const width = this.container.clientWidth || 800;
      const narrow = width < NARROW_PX;
      this.root.classList.toggle("emp-narrow", narrow);
      const style = this.payload.display.style;
      const controlsH = this.controls.offsetHeight || (narrow ? 150 : 56);
      const topH = this.legend.parentElement.offsetHeight || 30;
      let height;
      if (this.payload.display.presentation || this.options.fillWindow) {
        height = window.innerHeight - this.pageTop() - topH - controlsH - 14;
        height = Math.max(narrow ? 200 : 260, Math.min(height, narrow ? width * 1.1 : 2000));
      } else {
        height = Math.max(300, Math.min(style.height, 0.68 * window.innerHeight));
        if (narrow) height = Math.min(height, Math.max(260, width * 0.95));
      }
      const curveH = narrow ? 200 : Math.max(160, height - 112);
      return {height: Math.round(height), curveH: Math.round(curveH)};
    }

    /* In presentation mode (and the offline page), once laid out: if Play and the slider end below the
       window (or well above its bottom), resize the data view by the difference. The page above the
       player may still change while it draws (a header restyled, a font loaded), so look again later. */
    async fitWindow(again = true) {
      if (!(this.payload.display.presentation || this.options.fillWindow) || !this.root.isConnected) return;
      const scrolled = this.pageTop() - this.container.getBoundingClientRect().top;
      const bottom = this.controls.getBoundingClientRect().bottom + scrolled;
      const slack = window.innerHeight - 10 - bottom;
      const current = this.drawnSizes ? this.drawnSizes.height : 0;
      if (current && (slack < -1 || slack > 30)) {
        const narrow = this.root.classList.contains("emp-narrow"), width = this.container.clientWidth;
        const height = Math.round(Math.max(narrow ? 200 : 260, Math.min(current + slack, narrow ? width * 1.1 : 2000)));
        if (height !== current) {
          this.drawnSizes = {height, curveH: narrow ? this.drawnSizes.curveH : Math.max(160, height - 112)};
          await this.Plotly.relayout(this.dataDiv, {height});
          if (this.model.fitted && !narrow) await this.Plotly.relayout(this.curveDiv, {height: this.drawnSizes.curveH});
        }
      }
      if (again) setTimeout(() => this.fitWindow(false), 400);
    }

    /* The player's top on the page, as if nothing were scrolled (Streamlit scrolls an inner element). */
    pageTop() {
      let top = this.container.getBoundingClientRect().top + window.scrollY;
      for (let node = this.container.parentElement; node; node = node.parentElement) top += node.scrollTop || 0;
      return top;
    }

    async drawAll() {
      const {height, curveH} = this.sizes();
      this.stage.style.minHeight = "";
      await this.dataView.draw(height, this.Plotly);
      if (this.model.fitted) await this.curveView.draw(curveH, this.Plotly);
      this.drawnSizes = {height, curveH};
    }

    resize() {
      if (!this.root.isConnected) return this.destroy();
      clearTimeout(this.resizeTimer);
      this.resizeTimer = setTimeout(() => {
        const {height, curveH} = this.sizes();
        const Plotly = this.Plotly;
        this.drawnSizes = {height, curveH};
        Promise.all([Plotly.relayout(this.dataDiv, {height, width: this.dataDiv.clientWidth}),
                     this.model.fitted ? Plotly.relayout(this.curveDiv, {height: curveH, width: this.curveDiv.clientWidth}) : null])
          .then(() => this.fitWindow(false));
      }, 120);
    }

    destroy() {
      this.pause();
      document.removeEventListener("keydown", this.onKey);
      window.removeEventListener("resize", this.onResize);
    }

    go(index, force) {
      const F = this.model.F;
      index = Math.max(0, Math.min(F - 1, index));
      if (index === this.index && !force && this.shown) return;
      this.index = index;
      const state = this.model.frame(index);
      this.shown = state;
      this.dataView.render(state);
      this.curveView.render(state);
      this.slider.value = String(index);
      this.frameLabel.textContent = state.name;
      this.updateReadout(state);
      this.updateStepLabel(state);
      this.playButton.disabled = F < 2;
      this.speedSelect.disabled = this.slider.disabled = F < 2;
      this.firstButton.disabled = this.prevButton.disabled = index === 0;
      this.nextButton.disabled = this.lastButton.disabled = index === F - 1;
      this.root.dataset.frame = String(index);
    }

    updateReadout(state) {
      const m = this.model, curve = m.curve, end = state.curveEnd;
      const set = (field, text) => { this.readout.querySelector(`.emp-${field} .emp-readout-value`).textContent = text; };
      if (!m.fitted) {
        const placed = this.dataView.placed().length, drawing = this.mode() === "add" || this.mode() === "erase";
        set("frame", drawing ? `${m.n} point${m.n === 1 ? "" : "s"} drawn` : state.name);
        set("step", drawing ? "Click on the plot to add points." : `Click on the plot to place mean ${placed + 1} of ${m.k}.`);
        set("value", drawing ? `EM runs once there are k = ${m.k} distinct points.` : "EM runs once all k starting means are placed.");
        set("change", "");
        return;
      }
      const iteration = curve.x[end];
      set("frame", state.name);
      set("step", state.step === "E" ? "E-step: new responsibilities" : state.step === "M" ? "M-step: new parameters"
        : state.step === "initial" ? "initial parameters" : "one E-step and one M-step");
      const after = state.step === "E" ? ` (after iteration ${iteration})` : "";
      set("value", `${plain(curve.name)} ${fmtFixed(curve.y[end], 3)}${after}`);
      set("change", end > 0 ? `change ${(curve.y[end] - curve.y[end - 1] >= 0 ? "+" : "")}${fmtFixed(curve.y[end] - curve.y[end - 1], 3)} since iteration ${curve.x[end - 1]}`
        : "change —");
      this.readout.dataset.iteration = String(iteration);
    }

    updateStepLabel(state) {
      const text = this.payload.frames.step.includes("E") ? STEP_TEXT[state.step] : null;
      this.stepLabel.hidden = !text;
      if (text) {
        this.stepLabel.textContent = text;
        this.stepLabel.dataset.step = state.step;
        const o = this.dataView.overlay;
        if (o && o.offset) { this.stepLabel.style.left = (o.offset[0] + 10) + "px"; this.stepLabel.style.top = (o.offset[1] + 8) + "px"; }
      }
    }

    frameMs() {
      return Math.min(MAX_FRAME_MS, Math.max(MIN_FRAME_MS, TARGET_TOTAL_MS / this.model.F)) / this.speed;
    }

    // ---- editing: place and drag starting means (mode 'means'), add and remove points (mode 'draw')
    mode() {
      const interaction = this.payload.interaction || {};
      if (!this.options.send) return "view";
      if (this.tool && (interaction.tools || []).includes(this.tool)) return this.tool;
      return interaction.mode || "view";
    }

    plotPixel(event) {
      const o = this.dataView.overlay, box = this.dataDiv.getBoundingClientRect();
      return [event.clientX - box.left - o.offset[0], event.clientY - box.top - o.offset[1]];
    }

    pointerDown(event) {
      const o = this.dataView.overlay;
      if (this.mode() === "view" || event.button > 0 || !o || !o.offset) return;
      const at = this.plotPixel(event);
      if (at[0] < 0 || at[1] < 0 || at[0] > o.width || at[1] > o.height) return;
      event.preventDefault();
      event.stopPropagation();
      if (this.dataDiv.setPointerCapture) this.dataDiv.setPointerCapture(event.pointerId);
      this.tooltip.hidden = true;
      const index = this.mode() === "means" ? this.dataView.placedAt(at[0], at[1]) : -1;
      this.pressed = {at, index, moved: false, erase: event.shiftKey || event.altKey || this.mode() === "erase"};
    }

    pointerMove(event) {
      const pressed = this.pressed;
      if (!pressed) return;
      const at = this.plotPixel(event);
      if (Math.hypot(at[0] - pressed.at[0], at[1] - pressed.at[1]) > 5) pressed.moved = true;
      if (pressed.index >= 0 && pressed.moved) {
        event.preventDefault();
        event.stopPropagation();
        const placed = this.dataView.placed();
        placed[pressed.index] = pressed.point = this.clamp(this.dataView.toData(at[0], at[1]));
        this.dataView.renderPlaced(placed);
      }
    }

    pointerUp(event) {
      const pressed = this.pressed;
      this.pressed = null;
      if (!pressed) return;
      event.preventDefault();
      event.stopPropagation();
      if (pressed.index >= 0 && pressed.moved && pressed.point) {
        this.send("move_mean", {index: pressed.index, point: pressed.point});
        return;
      }
      if (pressed.moved) return; // a drag across empty space does nothing
      const point = this.dataView.toData(pressed.at[0], pressed.at[1]);
      if (this.mode() === "means") {
        const placed = this.dataView.placed();
        placed.push(point);
        this.dataView.renderPlaced(placed.slice(-this.payload.n_components));
        this.send("place_mean", point);
      } else if (this.mode() === "add" || this.mode() === "erase") {
        if (pressed.erase) {
          this.send("remove_point", point);
        } else {
          const grid = (this.payload.interaction || {}).grid;
          const inside = grid ? point.map((v, j) => Math.min(Math.max(v, grid[j][0]), grid[j][1])) : point;
          this.dataView.showPending(inside);
          this.send("add_point", inside);
        }
      }
    }

    /* A dragged mean stays inside the data's bounding box. */
    clamp(point) {
      const bounds = (this.payload.interaction || {}).bounds;
      return bounds ? point.map((v, j) => Math.min(Math.max(v, bounds[j][0]), bounds[j][1])) : point;
    }

    send(type, value) {
      this.root.classList.add("emp-waiting");
      this.options.send(type, value);
    }

    play(options) {
      if (this.playing) return;
      if (this.index >= this.model.F - 1) this.go(0);
      this.playing = true;
      this.maxSpeed = !!(options && options.maxSpeed);
      this.playButton.textContent = "❚❚ Pause";
      this.playButton.setAttribute("aria-label", "Pause");
      this.playButton.classList.add("emp-playing");
      let last = performance.now();
      const tick = (now) => {
        if (!this.playing) return;
        if (!this.root.isConnected) return this.destroy();
        if (this.maxSpeed || now - last >= this.frameMs()) {
          last = now;
          this.go(this.index + 1);
          this.rendered = (this.rendered || 0) + 1;
          if (this.index >= this.model.F - 1) return this.pause();
        }
        this.raf = requestAnimationFrame(tick);
      };
      this.raf = requestAnimationFrame(tick);
    }

    pause() {
      this.playing = false;
      cancelAnimationFrame(this.raf);
      if (this.playButton) {
        this.playButton.textContent = "▶ Play";
        this.playButton.setAttribute("aria-label", "Play");
        this.playButton.classList.remove("emp-playing");
      }
    }

    key(event) {
      if (!this.root.isConnected) return this.destroy();
      const target = event.target;
      const typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) ||
        (target.getAttribute && target.getAttribute("role") === "slider")) && target !== this.slider;
      if (typing || event.altKey || event.ctrlKey || event.metaKey) return;
      const actions = {
        ArrowRight: () => this.go(this.index + 1), ArrowLeft: () => this.go(this.index - 1),
        Home: () => this.go(0), End: () => this.go(this.model.F - 1),
      };
      if (event.key in actions) {
        event.preventDefault();
        this.pause();
        actions[event.key]();
      } else if (event.key === " " && (target === document.body || this.root.contains(target))) {
        event.preventDefault();
        this.playing ? this.pause() : this.play();
      }
    }

    /* Hover: a mean shows its weight, mean and covariance at this frame; a point its responsibilities. */
    hover(event) {
      const o = this.dataView.overlay;
      if (!o || !o.offset) return;
      const box = this.dataDiv.getBoundingClientRect();
      const x = event.clientX - box.left - o.offset[0], y = event.clientY - box.top - o.offset[1];
      const hit = (x >= -8 && y >= -8 && x <= o.width + 8 && y <= o.height + 8) ? this.dataView.hit(x, y) : null;
      if (!hit) { this.tooltip.hidden = true; return; }
      const lines = hit.kind === "mean" ? this.meanLines(hit.index) : this.pointLines(hit.index);
      this.tooltip.textContent = "";
      lines.forEach((line, i) => el("div", i === 0 ? "emp-tip-title" : "", this.tooltip, line));
      this.tooltip.dataset.kind = hit.kind;
      this.tooltip.dataset.index = String(hit.index);
      this.tooltip.hidden = false;
      const left = Math.min(event.clientX - box.left + 14, Math.max(0, box.width - this.tooltip.offsetWidth - 4));
      this.tooltip.style.left = left + "px";
      this.tooltip.style.top = (event.clientY - box.top + 14) + "px";
    }

    pointLines(i) {
      const m = this.model, state = this.shown, p = this.payload, names = p.features.map(plain);
      const coords = names.map((name, j) => `${name} = ${fmt(m.X[i * m.d + j], 5)}`).join(", ");
      const lines = [`point ${i + 1}: ${coords}`];
      if (!state.resp) {
        lines.push("no E-step yet: not assigned to any component");
        return lines;
      }
      const where = state.step === "M" ? `(from the E-step of iteration ${state.c + 1})` : `at ${state.name}`;
      lines.push(`responsibilities ${where}:`);
      for (let c = 0; c < m.k; c++) lines.push(`γ${sub(c + 1)} = ${state.resp[i * m.k + c].toFixed(6)}`);
      if (p.algorithm === "hard") lines.push(`hard EM assigns it wholly to component ${state.winner[i] + 1}`);
      return lines;
    }

    meanLines(c) {
      const m = this.model, e = this.shown.p, d = m.d, n = sub(c + 1);
      const mean = [], lines = [`component ${c + 1} at ${this.shown.name}`, `π${n} = ${fmt(m.weight(e, c), 4)}`];
      for (let j = 0; j < d; j++) mean.push(fmt(m.mean(e, c, j), 5));
      if (d === 1) {
        lines.push(`μ${n} = ${mean[0]}`, `σ${n} = ${fmt(Math.sqrt(m.cov(e, c, 0, 0)), 5)}`);
      } else {
        lines.push(`μ${n} = (${mean.join(", ")})`);
        const rows = [];
        for (let i = 0; i < d; i++) { const row = []; for (let j = 0; j < d; j++) row.push(fmt(m.cov(e, c, i, j), 4)); rows.push("[" + row.join(", ") + "]"); }
        lines.push(`Σ${n} = [${rows.join(", ")}]`);
      }
      return lines;
    }

    // ---- for tests and benchmarks
    frameCount() { return this.model.F; }
    stateJSON() {
      const s = this.shown, m = this.model;
      return {index: s.index, name: s.name, step: s.step, params: s.p, colours: s.c,
        resp: s.resp ? Array.from(s.resp) : null, winner: Array.from(s.winner), opacity: Array.from(s.opacity),
        changed: Array.from(s.changed), curveEnd: s.curveEnd, k: m.k, n: m.n};
    }
    /* Client (page) coordinates of a drawn point / a mean of the current frame. */
    clientPoint(i) {
      const o = this.dataView.overlay, box = this.dataDiv.getBoundingClientRect();
      return [box.left + o.offset[0] + this.dataView.px[i], box.top + o.offset[1] + this.dataView.py[i]];
    }
    clientMean(c) {
      const o = this.dataView.overlay, box = this.dataDiv.getBoundingClientRect();
      const [x, y] = this.dataView.meanPixel(this.shown.p, c);
      return [box.left + o.offset[0] + x, box.top + o.offset[1] + y];
    }
    /* Client coordinates of a data point (1-D: [x], drawn on the axis) and back. */
    clientOf(point) {
      const o = this.dataView.overlay, box = this.dataDiv.getBoundingClientRect();
      const [x, y] = this.dataView.placedPixel(point);
      return [box.left + o.offset[0] + x, box.top + o.offset[1] + y];
    }
    dataAt(clientX, clientY) {
      const o = this.dataView.overlay, box = this.dataDiv.getBoundingClientRect();
      return this.dataView.toData(clientX - box.left - o.offset[0], clientY - box.top - o.offset[1]);
    }
    /* Frames drawn per second while stepping one frame per animation frame: overall, and from the
       median interval between frames (which a busy, shared machine distorts less). */
    measureFps(frames) {
      return new Promise((resolve) => {
        this.go(0);
        const total = Math.min(frames || this.model.F - 1, this.model.F - 1);
        this.rendered = 0;
        const stamps = [];
        const start = performance.now();
        this.play({maxSpeed: true});
        const check = (now) => {
          stamps.push(now);
          if (this.rendered >= total || !this.playing) {
            const seconds = (performance.now() - start) / 1000;
            this.pause();
            const gaps = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
            const median = gaps.length ? gaps[Math.floor(gaps.length / 2)] : NaN;
            resolve({frames: this.rendered, seconds, fps: this.rendered / seconds, medianFps: 1000 / median});
          } else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      });
    }
  }

  function mount(container, payload, options) {
    const existing = container.__emPlayer;
    if (existing && existing.root.isConnected) {
      existing.options = options || existing.options;
      if (existing.payloadKey === payloadKey(payload)) return existing;
      existing.payloadKey = payloadKey(payload);
      existing.load(payload, false);
      return existing;
    }
    const player = new Player(container, payload, options);
    player.payloadKey = payloadKey(payload);
    return player;
  }

  function payloadKey(payload) {
    return JSON.stringify(payload);
  }

  window.EMPlayer = {mount, Model, version: 1};
})();
