/**
 * Conversions between PVE's wire strings and JS values, as PVE::JSONSchema accepts them
 * (`1|true|yes|on` for booleans, optional sign for integers).
 */

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const TRUE = /^(?:1|true|yes|on)$/i;
const FALSE = /^(?:0|false|no|off)$/i;

/** `"12"` → 12; undefined when the text is not an integer. */
export function parseWireInteger(text: string): number | undefined {
  return INTEGER.test(text) ? Number(text) : undefined;
}

/** `"1.5"` → 1.5; undefined when the text is not a number. */
export function parseWireNumber(text: string): number | undefined {
  return NUMBER.test(text) ? Number(text) : undefined;
}

/** `"yes"`/`"1"`/`"true"` → true, `"no"`/`"0"`/`"false"` → false; undefined otherwise. */
export function parseWireBoolean(text: string): boolean | undefined {
  if (TRUE.test(text)) return true;
  if (FALSE.test(text)) return false;
  return undefined;
}
