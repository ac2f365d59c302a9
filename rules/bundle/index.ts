export { bundleRule, DEFAULTS, NAME, type BundleOptions } from './bundle-rule.js';
