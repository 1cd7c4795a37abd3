/** The one error type codegen throws for bad input; its message names what was wrong. */
export class SchemaError extends Error {
  override name = "SchemaError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
