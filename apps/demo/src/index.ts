/** Placeholder until this package lands. */
export const PACKAGE_READY = false;
