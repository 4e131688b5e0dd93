// Copyright 2026 the @frontier/generators authors. MIT license.
// The headers of a job and of its result, and their checks. A job's body is
// its encoded arguments, a result's body its encoded value or error; a value
// too large for one message travels in chunks (`blobs.ts`) and the headers
// say where. Everything read here comes from the network: a header that is
// missing or malformed is reported as a `TypeError`, never trusted.

import {
  headers as makeHeaders,
  type MsgHdrs,
} from "npm:@nats-io/nats-core@3.4.0";
import { describe } from "../_core/describe.ts";
import { isToken } from "./names.ts";
import { MAX_VALUE_BYTES } from "./wire.ts";

/** The job's id: a subject token, unique per job (also its `Nats-Msg-Id`). */
export const JOB = "Frontier-Job";
/** The id of the client that waits for the result. */
export const CLIENT = "Frontier-Client";
/** The export to call. */
export const EXPORT = "Frontier-Export";
/** The number of arguments. */
export const ARGS = "Frontier-Args";
/** The id of the chunks of a large value, when it did not fit. */
export const BLOB = "Frontier-Blob";
/** The number of chunks of a large value. */
export const CHUNKS = "Frontier-Chunks";
/** The size in bytes of a large value. */
export const BYTES = "Frontier-Bytes";
/** A result's outcome: `ok` or `error`. */
export const OUTCOME = "Frontier-Outcome";

/** The most arguments a job may have. */
export const MAX_ARGS = 256;
/** The longest export name accepted. */
const MAX_NAME = 256;

/** Where a large value's chunks are. */
export interface BlobRef {
  id: string;
  chunks: number;
  bytes: number;
}

/** A job, as a worker reads it. */
export interface JobRequest {
  job: string;
  client: string;
  name: string;
  argCount: number;
  blob: BlobRef | undefined;
}

/** A result, as a client reads it. */
export interface JobResult {
  job: string;
  ok: boolean;
  blob: BlobRef | undefined;
}

/** The headers of a job. */
export function jobHeaders(
  request: Omit<JobRequest, "blob">,
  blob: BlobRef | undefined,
): MsgHdrs {
  const h = makeHeaders();
  h.set(JOB, request.job);
  h.set(CLIENT, request.client);
  h.set(EXPORT, request.name);
  h.set(ARGS, String(request.argCount));
  if (blob !== undefined) setBlob(h, blob);
  return h;
}

/** The headers of a result. */
export function resultHeaders(
  job: string,
  ok: boolean,
  blob: BlobRef | undefined,
): MsgHdrs {
  const h = makeHeaders();
  h.set(JOB, job);
  h.set(OUTCOME, ok ? "ok" : "error");
  if (blob !== undefined) setBlob(h, blob);
  return h;
}

function setBlob(h: MsgHdrs, blob: BlobRef): void {
  h.set(BLOB, blob.id);
  h.set(CHUNKS, String(blob.chunks));
  h.set(BYTES, String(blob.bytes));
}

function wholeNumber(text: string, max: number): number | undefined {
  if (!/^\d{1,12}$/.test(text)) return undefined;
  const n = Number(text);
  return n <= max ? n : undefined;
}

function malformed(what: string, header: string, value: string): TypeError {
  return new TypeError(
    `Cannot read a ${what}: header ${header} is ${
      value === "" ? "missing" : `malformed (${describe(value)})`
    }; it was not sent by a NatsExecutor of @frontier/generators`,
  );
}

function readBlob(
  h: MsgHdrs,
  what: string,
  limit: number,
): BlobRef | undefined {
  const id = h.get(BLOB);
  if (id === "") return undefined;
  if (!isToken(id)) throw malformed(what, BLOB, id);
  const bytes = wholeNumber(h.get(BYTES), limit);
  if (bytes === undefined) {
    const got = h.get(BYTES);
    if (/^\d+$/.test(got)) {
      throw new RangeError(
        `Cannot read a ${what}: it is ${got} bytes, more than the limit of ${limit}`,
      );
    }
    throw malformed(what, BYTES, got);
  }
  const chunks = wholeNumber(h.get(CHUNKS), Math.max(1, bytes));
  if (chunks === undefined || chunks < 1) {
    throw malformed(what, CHUNKS, h.get(CHUNKS));
  }
  return { id, chunks, bytes };
}

/**
 * The ids a reply can be sent with, read before anything else: with them a
 * malformed job can still be failed for its client.
 */
export function replyIds(
  h: MsgHdrs | undefined,
): { job: string; client: string } | undefined {
  if (h === undefined) return undefined;
  const job = h.get(JOB);
  const client = h.get(CLIENT);
  return isToken(job) && isToken(client) ? { job, client } : undefined;
}

/** Reads a job's headers. */
export function readJob(h: MsgHdrs | undefined): JobRequest {
  if (h === undefined) {
    throw new TypeError(
      "Cannot read a job: the message has no headers; it was not sent by a NatsExecutor of @frontier/generators",
    );
  }
  const job = h.get(JOB);
  if (!isToken(job)) throw malformed("job", JOB, job);
  const client = h.get(CLIENT);
  if (!isToken(client)) throw malformed("job", CLIENT, client);
  const name = h.get(EXPORT);
  if (name === "" || name.length > MAX_NAME) {
    throw malformed("job", EXPORT, name);
  }
  const argCount = wholeNumber(h.get(ARGS), MAX_ARGS);
  if (argCount === undefined) throw malformed("job", ARGS, h.get(ARGS));
  const blob = readBlob(h, "job", MAX_VALUE_BYTES * Math.max(1, argCount));
  return { job, client, name, argCount, blob };
}

/** Reads a result's headers. */
export function readResult(h: MsgHdrs | undefined): JobResult {
  if (h === undefined) {
    throw new TypeError("Cannot read a result: the message has no headers");
  }
  const job = h.get(JOB);
  if (!isToken(job)) throw malformed("result", JOB, job);
  const outcome = h.get(OUTCOME);
  if (outcome !== "ok" && outcome !== "error") {
    throw malformed("result", OUTCOME, outcome);
  }
  const blob = readBlob(h, "result", MAX_VALUE_BYTES);
  return { job, ok: outcome === "ok", blob };
}
