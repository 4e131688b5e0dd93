// Copyright 2026 the @frontier/generators authors. MIT license.
// Values larger than one NATS message (the server's `max_payload`, 1 MiB by
// default) travel as numbered chunks on a subject of their own in the data
// stream; the job or result that needs them names that subject. The writer
// removes nothing: the side that is done with a value purges its subject,
// and the stream's age limit removes what nobody collected.

import {
  DeliverPolicy,
  type JetStreamClient,
  type JetStreamManager,
} from "npm:@nats-io/jetstream@3.4.0";
import { headers as makeHeaders } from "npm:@nats-io/nats-core@3.4.0";
import type { BlobRef } from "./messages.ts";
import { type QueueNames, randomId } from "./names.ts";

const INDEX = "Frontier-Chunk";

/** Room left in each chunk for the message's headers and framing. */
const HEADROOM = 4096;

/** The size of each chunk for a server whose `max_payload` is `maxPayload`. */
export function chunkSize(maxPayload: number): number {
  return Math.max(1024, maxPayload - HEADROOM);
}

/** Writes `bytes` as chunks; returns where they are. */
export async function putBlob(
  js: JetStreamClient,
  names: QueueNames,
  bytes: Uint8Array,
  size: number,
): Promise<BlobRef> {
  const id = randomId();
  const subject = names.data(id);
  const pending: Promise<unknown>[] = [];
  let index = 0;
  for (let start = 0; start < bytes.length; start += size, index++) {
    const h = makeHeaders();
    h.set(INDEX, String(index));
    // Sent at once and in order on one connection; the acks are awaited
    // together.
    pending.push(
      js.publish(subject, bytes.subarray(start, start + size), {
        headers: h,
        timeout: 30_000,
      }),
    );
  }
  await Promise.all(pending);
  return { id, chunks: index, bytes: bytes.length };
}

/**
 * Reads the chunks of `blob`, checking each against what the reference
 * promised.
 *
 * @throws {TypeError} When chunks are missing, out of order or of the wrong
 * size.
 */
export async function getBlob(
  jsm: JetStreamManager,
  names: QueueNames,
  blob: BlobRef,
): Promise<Uint8Array> {
  // A reference to chunks that are not there (all of them) fails at once,
  // not after waiting for them.
  const subject = names.data(blob.id);
  const info = await jsm.streams.info(names.dataStream, {
    subjects_filter: subject,
  });
  const stored = info.state.subjects?.[subject] ?? 0;
  if (stored !== blob.chunks) {
    throw missing(blob, `${stored} chunks are stored`);
  }
  const js = jsm.jetstream();
  const consumer = await js.consumers.get(names.dataStream, {
    filter_subjects: subject,
    deliver_policy: DeliverPolicy.All,
  });
  const out = new Uint8Array(blob.bytes);
  let offset = 0;
  let index = 0;
  // A pull may end early (the server bounds the bytes of one pull), or bring
  // nothing from a server too busy to answer in time: pull again for the
  // rest, as long as the chunks are still stored.
  let emptyPulls = 0;
  while (index < blob.chunks) {
    const before = index;
    const messages = await consumer.fetch({
      max_messages: blob.chunks - index,
      expires: 5_000,
    });
    for await (const msg of messages) {
      const at = msg.headers?.get(INDEX);
      if (at !== String(index) || offset + msg.data.length > out.length) {
        messages.stop();
        throw missing(blob, `chunk ${index} is not where it should be`);
      }
      out.set(msg.data, offset);
      offset += msg.data.length;
      index++;
    }
    if (index > before) {
      emptyPulls = 0;
      continue;
    }
    const left = await jsm.streams.info(names.dataStream, {
      subjects_filter: subject,
    });
    const still = left.state.subjects?.[subject] ?? 0;
    if (still !== blob.chunks) {
      throw missing(blob, `got ${index}, then ${still} chunks were stored`);
    }
    if (++emptyPulls === MAX_EMPTY_PULLS) break;
  }
  if (index !== blob.chunks || offset !== blob.bytes) {
    throw missing(blob, `got ${index} of ${blob.chunks} chunks`);
  }
  return out;
}

// Pulls in a row that bring nothing while the chunks are stored, before a
// read gives up (each waits up to 5 s).
const MAX_EMPTY_PULLS = 4;

function missing(blob: BlobRef, what: string): TypeError {
  return new TypeError(
    `Cannot read a large value (${blob.bytes} bytes in ${blob.chunks} chunks): ${what}; it was removed, or never fully written`,
  );
}

/** Removes the chunks of `blob`. */
export async function dropBlob(
  jsm: JetStreamManager,
  names: QueueNames,
  blob: BlobRef,
): Promise<void> {
  await jsm.streams.purge(names.dataStream, { filter: names.data(blob.id) });
}
