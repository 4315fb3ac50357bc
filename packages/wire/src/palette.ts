/**
 * Roboflow's default colour palette (supervision's ColorPalette.DEFAULT), as hex RRGGBB strings:
 * the server's visualization blocks draw detections in it (colour = class id modulo its length)
 * and the debugger page draws its overlays in the very same colours.
 */
export const DEFAULT_PALETTE: readonly string[] = [
  "a351fb", "ff4040", "ffa1a0", "ff7633", "ffb633", "d1d435", "4cfb12", "94cf1a", "40de8a", "1b9640",
  "00d6c1", "2e9caa", "00c4ff", "364797", "6675ff", "0019ef", "863aff", "530087", "cd3aff", "ff97ca",
  "ff39c9",
];
