/* EM player: an SVG layer of its own over a Plotly graph's plot area. Every frame's moving parts are
 * drawn into it (data_view.js, curve_view.js), so a frame never repaints Plotly's axes and static layers.
 * Why not Plotly.restyle per frame: on this project's 2-core machine, without a GPU, a restyle of 3,000
 * SVG markers costs ~145 ms and scattergl ~35 ms, while grouped SVG paths (one path per colour and
 * opacity level) render a frame in ~20-30 ms (see the README's benchmark section).
 */
(function (EMP) {
  "use strict";
  const {svg, axisMap} = EMP.dom;

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

  EMP.Overlay = Overlay;
})(window.EMPlayer = window.EMPlayer || {});
