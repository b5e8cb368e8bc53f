/* EM player, module 1 of the load order (figures/player_assets.py: PLAYER_SCRIPTS): the shared namespace,
 * the payload's binary arrays, and how numbers and names are written for the reader.
 *
 * Every module is a classic script that adds to one namespace object, window.EMPlayer, so that the page
 * (ui/em_player.py loads them in order) and the offline HTML (explorer/exports.py inlines them in the same
 * order) run the same files with no build step. The public entry point is EMPlayer.mount (mount.js).
 */
(function (EMP) {
  "use strict";

  const ARRAY_TYPES = {f8: Float64Array, f4: Float32Array, i1: Int8Array, u1: Uint8Array, i2: Int16Array,
    u2: Uint16Array, i4: Int32Array, u4: Uint32Array};
  const SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉";

  /* A payload array ({dtype, bdata: base64}, figures/typed_arrays.py) as a typed array. */
  function decode(spec) {
    const text = atob(spec.bdata);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return new ARRAY_TYPES[spec.dtype](bytes.buffer);
  }

  function sub(n) { return String(n).split("").map((c) => SUBSCRIPT[+c]).join(""); }
  // Names arrive escaped for Plotly (&amp; &lt; &gt; &#37;); HTML here is built with textContent.
  function plain(text) {
    return String(text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&#37;/g, "%").replace(/&amp;/g, "&");
  }
  function fmt(v, digits) {
    if (!isFinite(v)) return "—";
    const a = Math.abs(v);
    const s = (a !== 0 && (a >= 1e6 || a < 1e-3)) ? v.toExponential(digits - 1) : v.toPrecision(digits);
    return s.replace("-", "−");
  }
  function fmtFixed(v, places) {
    return Number(v).toLocaleString("en-US", {minimumFractionDigits: places, maximumFractionDigits: places}).replace("-", "−");
  }

  EMP.format = {decode, sub, plain, fmt, fmtFixed};
})(window.EMPlayer = window.EMPlayer || {});
