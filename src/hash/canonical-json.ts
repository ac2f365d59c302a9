/** Canonical JSON lives with the wire formats (src/format/); the cooker's hashing uses the same bytes. */
export { canonicalJson, type Json } from '../format/canonical-json.js';
