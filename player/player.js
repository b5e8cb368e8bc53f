/* EM player: the Player, which lays out the legend, the editing tools, the data view, the learning
 * curve with its readout, and the controls; keeps the frame on screen; plays, pauses and steps (buttons,
 * slider, keys: <- and -> one frame, Home/End the first/last, Space plays or pauses when focus is not in
 * a field). Editing, hover and the test hooks are added by editing.js, hover.js and probe.js.
 *
 * Events sent to the host (options.send(type, value)): see ui/em_player.py.
 */
(function (EMP) {
  "use strict";
  const {el} = EMP.dom;
  const {plain, fmtFixed} = EMP.format;
  const {Model, DataView, CurveView} = EMP;

  const SPEEDS = [0.5, 1, 2, 4];
  const TARGET_TOTAL_MS = 15000; // at 1x the whole animation lasts about this long...
  const MIN_FRAME_MS = 60, MAX_FRAME_MS = 600; // ...within these per-frame bounds
  const NARROW_PX = 680; // below this container width the learning curve goes under the data view
  const STEP_TEXT = {
    initial: "Start: the initial parameters, no responsibilities yet",
    E: "E-step: responsibilities update, ellipses stay",
    M: "M-step: ellipses move, colours stay",
  };

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
      this.curveCaption = el("div", "emp-curve-caption", side);
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
      this.curveView.fillCaption(this.curveCaption);
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
        el("span", "", item, p.truth.name || "true clusters");
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
      const curveH = narrow ? 200 : Math.max(160, height - this.sideRoom());
      return {height: Math.round(height), curveH: Math.round(curveH)};
    }

    /* What the side column holds under the learning curve: the readout, and the bound's caption if shown. */
    sideRoom() {
      return 112 + (this.curveCaption.hidden ? 0 : this.curveCaption.offsetHeight + 6);
    }

    /* In presentation mode (and the offline page), once laid out: if Play and the slider end below the
       window (or well above its bottom), resize the data view by the difference. The page above the
       player may still change while it draws (a header restyled, a font loaded), so look again, three times. */
    async fitWindow(again = 3) {
      if (!(this.payload.display.presentation || this.options.fillWindow) || !this.root.isConnected) return;
      const scrolled = this.pageTop() - this.container.getBoundingClientRect().top;
      const bottom = this.controls.getBoundingClientRect().bottom + scrolled;
      const slack = window.innerHeight - 10 - bottom;
      const current = this.drawnSizes ? this.drawnSizes.height : 0;
      if (current && (slack < -1 || slack > 30)) {
        const narrow = this.root.classList.contains("emp-narrow"), width = this.container.clientWidth;
        const height = Math.round(Math.max(narrow ? 200 : 260, Math.min(current + slack, narrow ? width * 1.1 : 2000)));
        if (height !== current) {
          this.drawnSizes = {height, curveH: narrow ? this.drawnSizes.curveH : Math.max(160, height - this.sideRoom())};
          await this.Plotly.relayout(this.dataDiv, {height});
          if (this.model.fitted && !narrow) await this.Plotly.relayout(this.curveDiv, {height: this.drawnSizes.curveH});
        }
      }
      if (again > 0) setTimeout(() => this.fitWindow(again - 1), 400);  // a busy machine lays the page out late
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
          .then(() => this.fitWindow(0));
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

    mode() {
      const interaction = this.payload.interaction || {};
      if (!this.options.send) return "view";
      if (this.tool && (interaction.tools || []).includes(this.tool)) return this.tool;
      return interaction.mode || "view";
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
  }

  /* Adds the methods of a class (a mixin module: editing.js, hover.js, probe.js) to the Player. */
  Player.include = function (mixin) {
    for (const name of Object.getOwnPropertyNames(mixin.prototype)) {
      if (name !== "constructor") Player.prototype[name] = mixin.prototype[name];
    }
  };

  EMP.Player = Player;
})(window.EMPlayer = window.EMPlayer || {});
