/* EM player: the frame maths. A Model holds the payload's drawn points and every trace entry's
 * parameters, and computes what frame i shows: responsibilities in log space (each component's
 * quadratic form from x - mean), the most responsible component, opacities, the points whose winner
 * changed, the n-sigma ellipses and the weighted 1-D densities. The Python twin of Model.frame is
 * figures/frame_state.py; tests compare the two.
 */
(function (EMP) {
  "use strict";
  const {decode} = EMP.format;

  const ELLIPSE_POINTS = 61;
  const LOG_2PI = Math.log(2 * Math.PI);

  /* The s-sigma ellipse of a 2-D Gaussian with covariance [[a, b], [b, cc]] and mean (mx, my), closed
     form: [xs, ys], two Float64Arrays of ELLIPSE_POINTS (the first point repeated at the end). */
  function ellipsePoints(a, b, cc, mx, my, s) {
    const angle = 0.5 * Math.atan2(2 * b, a - cc);
    const gap = Math.hypot(0.5 * (a - cc), b);
    const major = Math.sqrt(Math.max(0.5 * (a + cc) + gap, 0)), minor = Math.sqrt(Math.max(0.5 * (a + cc) - gap, 0));
    const cos = Math.cos(angle), sin = Math.sin(angle);
    const xs = new Float64Array(ELLIPSE_POINTS), ys = new Float64Array(ELLIPSE_POINTS);
    for (let t = 0; t < ELLIPSE_POINTS; t++) {
      const theta = 2 * Math.PI * t / (ELLIPSE_POINTS - 1);
      const u = major * Math.cos(theta), v = minor * Math.sin(theta);
      xs[t] = mx + s * (cos * u - sin * v);
      ys[t] = my + s * (sin * u + cos * v);
    }
    return [xs, ys];
  }

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

    /* The n-sigma ellipse of component c's marginal over the feature pair: [xs, ys]. */
    ellipse(e, c, pair, s) {
      const [fi, fj] = pair;
      return ellipsePoints(this.cov(e, c, fi, fi), this.cov(e, c, fi, fj), this.cov(e, c, fj, fj),
                           this.mean(e, c, fi), this.mean(e, c, fj), s);
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

  EMP.Model = Model;
  EMP.model = {ellipsePoints};
})(window.EMPlayer = window.EMPlayer || {});
