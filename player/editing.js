/* EM player, editing on the data view: place and drag the starting means (mode 'means'), add and
 * erase points (modes 'add' and 'erase'). Pointer events arrive in the capture phase, before Plotly's;
 * what the user did goes to the host as an event (ui/player_events.py applies it).
 */
(function (EMP) {
  "use strict";

  class Editing {
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
  }

  EMP.Player.include(Editing);
})(window.EMPlayer = window.EMPlayer || {});
