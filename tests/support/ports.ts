/** Port of the static server the browser tests load pages from. */
export const PORT = 4317;
/** A second origin (another port) for cross-origin tests. */
export const OTHER_ORIGIN_PORT = 4327;
