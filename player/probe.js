/* EM player, hooks for the browser tests and bench/bench_player.py: the frame's state as JSON, page
 * coordinates of points and means, and frames drawn per second.
 */
(function (EMP) {
  "use strict";

  class Probe {
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

  EMP.Player.include(Probe);
})(window.EMPlayer = window.EMPlayer || {});
