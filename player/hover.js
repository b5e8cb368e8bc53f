/* EM player, hover on the data view: a mean shows its weight, mean and covariance at the frame on
 * screen; a point its responsibilities.
 */
(function (EMP) {
  "use strict";
  const {el} = EMP.dom;
  const {plain, fmt, sub} = EMP.format;

  class Hover {
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
  }

  EMP.Player.include(Hover);
})(window.EMPlayer = window.EMPlayer || {});
