/* EM player: the data view, a Plotly graph of the data (2-D scatter of a feature pair, or a 1-D histogram
 * with a rug) and, on its overlay, each frame's moving parts: the points coloured by responsibility, the
 * rings around points whose winner changed, the ellipses or densities, the means, and the starting
 * means placed by hand. It also answers which point or mean lies under a pixel (hover, editing).
 */
(function (EMP) {
  "use strict";
  const {decode} = EMP.format;
  const {svg, polyline} = EMP.dom;
  const {ellipsePoints} = EMP.model;
  const Overlay = EMP.Overlay;

  const LEVELS = 16; // opacity steps of the drawn points: finer is invisible, coarser shows banding
  const SIGMA_DASH = {1: "", 2: "7,4", 3: "2,3"};

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
      const kt = decode(t.weights).length, [fi, fj] = this.view.pair, x = [], y = [];
      const cov = (c, i, j) => covs[(c * d + i) * d + j], mean = (c, j) => means[c * d + j];
      for (const s of [1, 2]) for (let c = 0; c < kt; c++) {
        const [xs, ys] = ellipsePoints(cov(c, fi, fi), cov(c, fi, fj), cov(c, fj, fj), mean(c, fi), mean(c, fj), s);
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


  EMP.DataView = DataView;
})(window.EMPlayer = window.EMPlayer || {});
