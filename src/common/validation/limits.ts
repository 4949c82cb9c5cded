/** Largest serialised size of a free-form JSON column (extra, properties). */
export const MAX_JSON_OBJECT_BYTES = 64 * 1024;
/** Bounds of the integer columns (boot_index): a signed 32-bit INTEGER in every database. */
export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
