// Copyright 2026 the @frontier/generators authors. MIT license.
// Reporting a failure that nobody will see any more (a loser of a race, the
// future behind a cancelled shield) the way an unobserved failed future is
// reported: as an unhandled promise rejection, once.

/**
 * Reports `error` as an unhandled rejection (the `unhandledrejection` event;
 * the process exits if nobody handles it).
 */
export function reportUnobserved(error: unknown): void {
  Promise.reject(error);
}
