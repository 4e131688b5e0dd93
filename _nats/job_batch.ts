// Copyright 2026 the @frontier/generators authors. MIT license.
// Many small jobs in one message, and many results in one message: a stream
// message and its acknowledgement cost far more than encoding a tiny job, so
// jobs submitted together travel together, and so do the results a worker
// finishes together. A batch is one message for the server (delivered,
// redelivered and acknowledged whole) and many jobs for the client (each
// settles, is cancelled or times out alone).
//
// Everything read here comes from the network: an envelope that is not what
// `encode*` wrote throws a `TypeError`; one bad entry fails only its job.

import {
  headers as makeHeaders,
  type MsgHdrs,
} from "npm:@nats-io/nats-core@3.4.0";
import { describe } from "../_core/describe.ts";
import { CLIENT, JOB, MAX_ARGS } from "./messages.ts";
import { isToken } from "./names.ts";
import { decode, encode } from "./wire.ts";

/** The number of jobs of a batch message (absent on a message of one job). */
export const BATCH = "Frontier-Batch";
/** The number of results of a results message (absent on a single result). */
export const RESULTS = "Frontier-Results";

/** The most jobs in one message, and the most results. */
export const MAX_BATCH = 256;
/** The most bytes of one batch message. */
export const MAX_BATCH_BYTES = 256 * 1024;
/**
 * The fewest messages the jobs of one turn are split into (when there are
 * as many jobs): a message goes to one worker, so up to this many workers
 * share them.
 */
export const SPREAD = 16;

/** How many jobs go in each message when `count` are sent together. */
export function batchSize(count: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.ceil(count / SPREAD)));
}

/** The longest export name accepted (as in `messages.ts`). */
const MAX_NAME = 256;

/**
 * One job of a batch: its id, the export, its arguments (`undefined` for an
 * entry that could not be read, failed for its client).
 */
export interface BatchEntry {
  job: string;
  name: string;
  args: unknown[] | undefined;
}

/**
 * One result of a results message: a value, or an error encoded by
 * `encodeError` (its own bytes, so that it keeps its class and cause).
 */
export interface ResultEntry {
  job: string;
  ok: boolean;
  value: unknown;
}

/**
 * The headers and body of a batch of jobs; `id` names the batch. Encoded
 * in one pass: far cheaper than each job apart.
 *
 * @throws {DOMException} A `DataCloneError` when an argument cannot be
 * cloned (then the jobs go one by one, so that only its job fails).
 */
export function encodeBatch(
  id: string,
  client: string,
  entries: BatchEntry[],
): { headers: MsgHdrs; body: Uint8Array } {
  const h = makeHeaders();
  h.set(JOB, id);
  h.set(CLIENT, client);
  h.set(BATCH, String(entries.length));
  const body = encode(entries.map((e) => [e.job, e.name, e.args]));
  return { headers: h, body };
}

/** The number of jobs a message announces, or 0 for a message of one job. */
export function batchCount(h: MsgHdrs | undefined): number {
  const text = h?.get(BATCH) ?? "";
  if (text === "") return 0;
  const n = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_BATCH)) {
    throw new TypeError(
      `Cannot read a batch of jobs: header ${BATCH} is malformed (${
        describe(text)
      }); it was not sent by a NatsExecutor of @frontier/generators`,
    );
  }
  return n;
}

function entries(
  bytes: Uint8Array,
  count: number,
  what: string,
): unknown[] {
  const value = decode(bytes);
  if (!Array.isArray(value) || value.length !== count) {
    throw new TypeError(
      `Cannot read ${what}: expected ${count} entries, got ${describe(value)}`,
    );
  }
  return value;
}

/**
 * Reads the jobs of a batch. An entry that is not a job but names a job id
 * comes back with `args` undefined, to be failed for its client; one that
 * names nothing usable is left out.
 *
 * @throws {TypeError} When the body is not a batch of `count` entries.
 */
export function decodeBatch(bytes: Uint8Array, count: number): BatchEntry[] {
  const out: BatchEntry[] = [];
  for (const entry of entries(bytes, count, "a batch of jobs")) {
    if (!Array.isArray(entry) || !isToken(entry[0])) continue;
    const [job, name, args] = entry;
    const valid = typeof name === "string" && name !== "" &&
      name.length <= MAX_NAME && Array.isArray(args) &&
      args.length <= MAX_ARGS;
    out.push(
      valid
        ? { job, name, args }
        : { job, name: typeof name === "string" ? name : "", args: undefined },
    );
  }
  return out;
}

/**
 * The headers and body of a results message, encoded in one pass.
 *
 * @throws {DOMException} A `DataCloneError` when a value cannot be cloned
 * (then the results go one by one).
 */
export function encodeResults(
  results: ResultEntry[],
): { headers: MsgHdrs; body: Uint8Array } {
  const h = makeHeaders();
  h.set(RESULTS, String(results.length));
  const body = encode(results.map((r) => [r.job, r.ok, r.value]));
  return { headers: h, body };
}

/** The number of results a message announces, or 0 for a single result. */
export function resultsCount(h: MsgHdrs | undefined): number {
  const text = h?.get(RESULTS) ?? "";
  if (text === "") return 0;
  const n = /^\d{1,3}$/.test(text) ? Number(text) : NaN;
  return n >= 1 && n <= MAX_BATCH ? n : -1;
}

/**
 * Reads a results message; entries that are not results are left out (an
 * error's value must be its encoded bytes).
 *
 * @throws {TypeError} When the body is not `count` entries.
 */
export function decodeResults(
  bytes: Uint8Array,
  count: number,
): ResultEntry[] {
  const out: ResultEntry[] = [];
  for (const entry of entries(bytes, count, "a batch of results")) {
    if (!Array.isArray(entry) || !isToken(entry[0])) continue;
    const [job, ok, value] = entry;
    if (typeof ok !== "boolean" || (!ok && !(value instanceof Uint8Array))) {
      continue;
    }
    out.push({ job, ok, value });
  }
  return out;
}
