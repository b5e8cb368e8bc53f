/* EM player: small DOM and SVG helpers, and Plotly's axis maps (data value -> pixel of the plot area). */
(function (EMP) {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";

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

  EMP.dom = {el, svg, axisMap, polyline};
})(window.EMPlayer = window.EMPlayer || {});
