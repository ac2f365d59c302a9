export const EXIT_OK = 0;
/** A target failed to build or validate. */
export const EXIT_BUILD_FAILED = 1;
/** Bad command line, bad workspace configuration, unknown label, cycle. */
export const EXIT_USAGE = 2;
