/* EM player, the entry point, last in the load order:
 *
 *   EMPlayer.mount(container, payload, {send})   -> player (also container.__emPlayer)
 *
 * A second mount on the same container with a new payload updates that player in place.
 */
(function (EMP) {
  "use strict";

  function mount(container, payload, options) {
    const existing = container.__emPlayer;
    if (existing && existing.root.isConnected) {
      existing.options = options || existing.options;
      if (existing.payloadKey === payloadKey(payload)) return existing;
      existing.payloadKey = payloadKey(payload);
      existing.load(payload, false);
      return existing;
    }
    const player = new EMP.Player(container, payload, options);
    player.payloadKey = payloadKey(payload);
    return player;
  }

  function payloadKey(payload) {
    return JSON.stringify(payload);
  }

  EMP.mount = mount;
  EMP.version = 1;
})(window.EMPlayer = window.EMPlayer || {});
