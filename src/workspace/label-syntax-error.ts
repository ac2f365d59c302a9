/**
 * A label or target pattern that does not parse. Its own file so that the CLI, which maps it to
 * a usage error, does not load the label module (and with it xxhash's wasm) before every command.
 */
export class LabelSyntaxError extends Error {}
