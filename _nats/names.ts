// Copyright 2026 the @frontier/generators authors. MIT license.
// The subjects, streams and consumer of one work queue, named from the
// queue's name, so that the executor and its workers agree on them without
// talking (they are documented in `nats.ts` for the permissions they need).

import { describe } from "../_core/describe.ts";

/** Where the jobs, results and large values of one queue travel. */
export interface QueueNames {
  /** The queue's name, e.g. `default`. */
  queue: string;
  /** `frontier.<queue>.jobs`: the jobs, in `jobsStream`. */
  jobs: string;
  /** `FRONTIER_<queue>_JOBS`: a work-queue stream. */
  jobsStream: string;
  /** `workers`: the durable pull consumer all workers share. */
  consumer: string;
  /** `FRONTIER_<queue>_RESULTS`: the results, one subject per client. */
  resultsStream: string;
  /** `frontier.<queue>.results.*`: the subjects of `resultsStream`. */
  resultsAll: string;
  /** `FRONTIER_<queue>_DATA`: values too large for one message, in chunks. */
  dataStream: string;
  /** `frontier.<queue>.data.*`. */
  dataAll: string;
  /** `frontier.<queue>.cancel`: a client asks the workers to stop a job. */
  cancel: string;
  /** The server's advisory when a job was delivered `maxDeliver` times. */
  maxDeliveries: string;
  /** `frontier.<queue>.results.<client>`. */
  results(client: string): string;
  /**
   * `frontier.<queue>.reply.<client>`: a worker hands a result straight to
   * a connected client, which confirms it; `results` is the fallback.
   */
  reply(client: string): string;
  /** `frontier.<queue>.status.<client>`: a worker says it started a job. */
  status(client: string): string;
  /** `frontier.<queue>.data.<id>`. */
  data(id: string): string;
}

/** A name or id that can be one token of a subject and part of a stream name. */
const TOKEN = /^[A-Za-z0-9_-]{1,64}$/;

/** Whether `value` can be one token of a subject (a client or job id). */
export function isToken(value: unknown): value is string {
  return typeof value === "string" && TOKEN.test(value);
}

/** The names of queue `queue`; `action` names the call for messages. */
export function queueNames(queue: unknown, action: string): QueueNames {
  if (!isToken(queue)) {
    throw new TypeError(
      `Cannot ${action}: option queue must be 1 to 64 letters, digits, "_" or "-", got ${
        describe(queue)
      }`,
    );
  }
  const prefix = `frontier.${queue}`;
  const stream = `FRONTIER_${queue}`;
  return {
    queue,
    jobs: `${prefix}.jobs`,
    jobsStream: `${stream}_JOBS`,
    consumer: "workers",
    resultsStream: `${stream}_RESULTS`,
    resultsAll: `${prefix}.results.*`,
    dataStream: `${stream}_DATA`,
    dataAll: `${prefix}.data.*`,
    cancel: `${prefix}.cancel`,
    maxDeliveries:
      `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}_JOBS.workers`,
    results: (client) => `${prefix}.results.${client}`,
    reply: (client) => `${prefix}.reply.${client}`,
    status: (client) => `${prefix}.status.${client}`,
    data: (id) => `${prefix}.data.${id}`,
  };
}

/** A fresh random id for a client, a worker or a value: a subject token. */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let id = "";
  for (const byte of bytes) id += (byte & 63).toString(36).padStart(2, "0");
  return id;
}
