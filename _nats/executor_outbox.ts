// Copyright 2026 the @frontier/generators authors. MIT license.
// How the jobs submitted in one turn of the event loop are grouped into
// messages of the jobs stream: small jobs together (a stream message and its
// acknowledgement cost far more than a tiny job), but split into enough
// messages that many workers share them (a message goes to one worker), and
// large ones alone.

import { ALONE_BYTES, MAX_BATCH, MAX_BATCH_BYTES } from "./job_batch.ts";

/**
 * The fewest messages a turn's jobs are split into (when there are as many
 * jobs): up to this many workers share them.
 */
export const SPREAD = 16;

/** Groups `jobs` (with their encoded arguments) into messages, in order. */
export function groupJobs<J extends { bytes: Uint8Array | undefined }>(
  jobs: J[],
): J[][] {
  const groups: J[][] = [];
  const small: J[] = [];
  for (const job of jobs) {
    if (job.bytes!.length > ALONE_BYTES) groups.push([job]);
    else small.push(job);
  }
  const per = Math.min(MAX_BATCH, Math.ceil(small.length / SPREAD));
  let group: J[] = [];
  let bytes = 0;
  for (const job of small) {
    const size = job.bytes!.length;
    if (
      group.length > 0 &&
      (group.length >= per || bytes + size > MAX_BATCH_BYTES)
    ) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(job);
    bytes += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}
