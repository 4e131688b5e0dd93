// Copyright 2026 the @frontier/generators authors. MIT license.
// The executor's streams besides the jobs, results and data of `names.ts`:
// the cancels, kept so that a worker that was away (reconnecting, or not yet
// holding the job) still hears of them, and the server's "job given up"
// advisories, kept so that a client that was away still hears of them.

import type { QueueNames } from "./names.ts";

/** The extra streams of one queue. */
export interface JobStreamNames {
  /** `FRONTIER_<queue>_CANCELS`: the cancel messages, kept for a while. */
  cancelsStream: string;
  /** `FRONTIER_<queue>_LOST`: the max-deliveries advisories of the jobs. */
  lostStream: string;
}

/** The extra streams of the queue named by `names`. */
export function jobStreamNames(names: QueueNames): JobStreamNames {
  const stream = `FRONTIER_${names.queue}`;
  return {
    cancelsStream: `${stream}_CANCELS`,
    lostStream: `${stream}_LOST`,
  };
}
