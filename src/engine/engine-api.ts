/**
 * What layers above the engine (watch, the studio) may use besides the Builder itself, so they
 * never import src/workspace/ or the digester directly. Failures reach them as `Diagnostic`s
 * (src/diagnostic), never as text to parse.
 */
export { assetIdOf } from '../workspace/label.js';
