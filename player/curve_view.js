/* EM player: the learning curve. Plotly draws the whole curve in grey (with re-seeded components
 * marked); the overlay draws it in ink up to the frame on screen, and a ring on the current value.
 * In step mode with a bound (payload.bound), the curve is log p and the bound L per half-step (bound_curve.js).
 */
(function (EMP) {
  "use strict";
  const {svg, polyline} = EMP.dom;
  const Overlay = EMP.Overlay;

  class CurveView {
    constructor(plotDiv, model, payload) {
      this.gd = plotDiv;
      this.m = model;
      this.p = payload;
      this.state = null;
      this.bound = payload.bound ? new EMP.BoundCurve(payload.bound) : null;
    }

    /* The words under the curve: the bound's keys and caption in step mode, else nothing. */
    fillCaption(div) {
      div.textContent = "";
      div.hidden = !this.bound;
      if (this.bound) this.bound.fillCaption(div, this.p.display.ink);
    }

    async draw(height, Plotly) {
      const p = this.p, st = this.p.display.style, ink = p.display.ink;
      const series = p.curves;
      const bound = this.bound;
      const allX = [].concat(...series.map((s) => s.x));
      const allY = bound ? bound.yValues() : [].concat(...series.map((s) => s.y)).filter(isFinite);
      const xMax = Math.max(1, ...allX);
      let lo = Math.min(...allY), hi = Math.max(...allY);
      if (!(hi > lo)) { lo -= 1; hi += 1; }
      const pad = 0.08 * (hi - lo);
      const axis = (title, range) => ({
        title: {text: title, font: {size: st.title_size, color: ink}, standoff: 4}, range, autorange: false,
        tickfont: {size: st.tick_size, color: ink}, zeroline: false, showline: true, linecolor: "#bbbbbb",
        gridcolor: "#eeeeee", automargin: true, nticks: 6,
      });
      const traces = bound ? bound.traces(st) : series.map((s) => ({
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
        xaxis: axis("iteration", [-0.02 * xMax, xMax * 1.02]), yaxis: axis(bound ? "log-likelihood" : series[0].name, [lo - pad, hi + pad]),
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
        if (this.bound) {
          this.bound.build(o, st, ink);
          o.built = true;
          if (this.state) this.render(this.state);
          return;
        }
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
      if (this.bound) return this.bound.render(o, t);
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


  EMP.CurveView = CurveView;
})(window.EMPlayer = window.EMPlayer || {});
