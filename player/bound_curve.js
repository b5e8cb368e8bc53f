/* EM player: the bound under the learning curve in step mode (payload.bound, figures/bound_series.py).
 * log p(X | θ) and the bound L(q, θ) at every half-step, the gap KL between them shaded: they touch after
 * each E-step, and each M-step raises L and log p with it. Plotly draws the whole run in grey (hover: the
 * three numbers); the curve view's overlay draws it in colour up to the frame on screen.
 */
(function (EMP) {
  "use strict";
  const {el, svg, polyline} = EMP.dom;
  const {fmt, fmtFixed} = EMP.format;

  const BOUND_COLOR = "#1f77b4";
  const GAP_FILL = "rgba(31, 119, 180, 0.18)";
  const GREY = "#c8c8c8", GREY_FILL = "rgba(200, 200, 200, 0.25)";

  class BoundCurve {
    constructor(bound) {
      this.b = bound;
      this.n = bound.x.length;
    }

    /* Every value the y axis must hold. */
    yValues() {
      return [this.b.start_log_likelihood, ...this.b.log_likelihood, ...this.b.lower_bound].filter(isFinite);
    }

    /* The half-step j's name, e.g. "iteration 3 · E-step" (E-steps sit at i - 1/2, M-steps at i). */
    stepName(j) {
      return `iteration ${Math.ceil(this.b.x[j])} · ${j % 2 === 0 ? "E" : "M"}-step`;
    }

    hoverText(j) {
      const b = this.b, L = b.labels;
      return `${this.stepName(j)}<br>${L.log_p} = ${fmtFixed(b.log_likelihood[j], 3)}` +
        `<br>${L.bound} = ${fmtFixed(b.lower_bound[j], 3)}<br>gap KL = ${fmt(b.gap[j], 3)}`;
    }

    /* Under the curve: a key to its lines and the shading, then the caption (figures/bound_series.py). */
    fillCaption(div, ink) {
      const keys = el("div", "emp-curve-keys", div), L = this.b.labels;
      for (const [kind, color, text] of [["line", ink, L.log_p], ["line", BOUND_COLOR, L.bound], ["area", GAP_FILL, "gap KL"]]) {
        const item = el("span", "emp-legend-item", keys);
        const mark = el("span", kind === "line" ? "emp-line" : "emp-swatch emp-gap-swatch", item);
        if (kind === "line") mark.style.borderTopColor = color; else mark.style.background = color;
        el("span", "", item, text);
      }
      el("div", "emp-curve-caption-text", div, this.b.caption);
    }

    /* The grey Plotly traces of the whole run: L, then log p over the same half-steps filled down to it
       (the gap), then log p's first, flat stretch from the start to the first E-step. */
    traces(style) {
      const b = this.b, L = b.labels, texts = [...Array(this.n).keys()].map((j) => this.hoverText(j));
      return [{
        type: "scatter", mode: "lines+markers", name: L.bound, showlegend: false, x: b.x, y: b.lower_bound,
        line: {color: GREY, width: 1.2, dash: "dot"}, marker: {size: style.curve_marker_size * 0.8, color: GREY},
        hovertext: texts, hoverinfo: "text",
      }, {
        type: "scatter", mode: "lines", name: L.log_p, showlegend: false, x: b.x, y: b.log_likelihood,
        line: {color: GREY, width: 1.4}, fill: "tonexty", fillcolor: GREY_FILL, hovertext: texts, hoverinfo: "text",
      }, {
        type: "scatter", mode: "lines+markers", name: "start", showlegend: false,
        x: [0, ...b.x.slice(0, 1)], y: [b.start_log_likelihood, ...b.log_likelihood.slice(0, 1)],
        line: {color: GREY, width: 1.4}, marker: {size: [style.curve_marker_size, 0], color: GREY},
        hovertext: [`start<br>${L.log_p} = ${fmtFixed(b.start_log_likelihood, 3)}<br>(no bound before the first E-step)`,
                    ...texts.slice(0, 1)],
        hoverinfo: "text",
      }];
    }

    /* The coloured layer in the overlay: the gap, both lines, a ring on each at the current half-step. */
    build(o, style, ink) {
      this.gapPath = svg("path", {class: "emp-bound-gap", fill: GAP_FILL, stroke: "none"}, o.clipped);
      this.logPath = svg("path", {class: "emp-bound-logp", fill: "none", stroke: ink, "stroke-width": style.line_width * 0.8},
        o.clipped);
      this.lowerPath = svg("path", {class: "emp-bound-lower", fill: "none", stroke: BOUND_COLOR,
        "stroke-width": style.line_width * 0.8}, o.clipped);
      const ring = (color) => svg("circle", {r: style.mean_size / 2, fill: "none", stroke: color,
        "stroke-width": style.line_width}, o.free);
      this.logRing = ring(ink);
      this.lowerRing = ring(BOUND_COLOR);
    }

    /* Draw what happened up to curve time t (an E-step frame of iteration i has t = i - 1/2). */
    render(o, t) {
      const b = this.b, xs = [0], ys = [b.start_log_likelihood], lowX = [], lowY = [];
      let current = -1;
      for (let j = 0; j < this.n && b.x[j] <= t; j++) {
        xs.push(b.x[j]); ys.push(b.log_likelihood[j]);
        lowX.push(b.x[j]); lowY.push(b.lower_bound[j]);
        current = j;
      }
      this.logPath.setAttribute("d", polyline(xs, ys, o.X, o.Y));
      this.lowerPath.setAttribute("d", lowX.length ? polyline(lowX, lowY, o.X, o.Y) : "");
      // The gap: along log p over the half-steps, back along L, closed.
      this.gapPath.setAttribute("d", lowX.length > 1
        ? polyline([...lowX, ...lowX.slice().reverse()], [...ys.slice(1), ...lowY.slice().reverse()], o.X, o.Y) + "Z" : "");
      const place = (ring, x, y) => { ring.setAttribute("cx", o.X(x).toFixed(1)); ring.setAttribute("cy", o.Y(y).toFixed(1)); };
      place(this.logRing, xs[xs.length - 1], ys[ys.length - 1]);
      this.lowerRing.style.display = current < 0 ? "none" : "";
      if (current >= 0) place(this.lowerRing, b.x[current], b.lower_bound[current]);
    }
  }

  EMP.BoundCurve = BoundCurve;
})(window.EMPlayer = window.EMPlayer || {});
