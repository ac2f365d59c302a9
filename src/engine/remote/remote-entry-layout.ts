/** Where things sit in a remote action's input root (shared by the client and the worker entry). */
export const UNIT_FILE = 'unit.json';
/** Declared sources and staged discovered files, at their workspace-relative paths. */
export const SOURCES_DIR = 'ws';
/** Dependency outputs the action may read, by SHA-256. */
export const BLOBS_DIR = 'blobs';
