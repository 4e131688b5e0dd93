// Copyright 2026 the @frontier/generators authors. MIT license.
// Makes the streams and the consumer of a work queue when they are missing,
// from either side (the first executor or worker to arrive makes them; the
// others use what is there, so an operator may also make them beforehand with
// other limits, e.g. replicas on a cluster).

import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from "npm:@nats-io/jetstream@3.4.0";
import { nanos } from "npm:@nats-io/nats-core@3.4.0";
import { jobStreamNames } from "./job_names.ts";
import type { QueueNames } from "./names.ts";

/** How long results and large values nobody collects are kept: one day. */
const KEEP_UNCOLLECTED = 24 * 60 * 60 * 1000;
/**
 * How many cancels are kept for workers that were away: a worker reads them
 * all when it starts, and remembers as many.
 */
export const KEPT_CANCELS = 10_000;

async function ensureStream(
  jsm: JetStreamManager,
  config: Partial<StreamConfig> & { name: string },
): Promise<void> {
  try {
    await jsm.streams.info(config.name);
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await jsm.streams.add(config);
  } catch (error) {
    // Another side made it first: use theirs.
    await jsm.streams.info(config.name).catch(() => {
      throw error;
    });
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && /not found/i.test(error.message);
}

/** Makes the queue's streams where they are missing. */
export async function ensureStreams(
  jsm: JetStreamManager,
  names: QueueNames,
): Promise<void> {
  await ensureStream(jsm, {
    name: names.jobsStream,
    subjects: [names.jobs],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
  });
  await ensureStream(jsm, {
    name: names.resultsStream,
    subjects: [names.resultsAll],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(KEEP_UNCOLLECTED),
  });
  await ensureStream(jsm, {
    name: names.dataStream,
    subjects: [names.dataAll],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(KEEP_UNCOLLECTED),
  });
  const more = jobStreamNames(names);
  // A cancel sent while a worker was away, or before it held the job, waits
  // here for it (core NATS alone would drop it).
  await ensureStream(jsm, {
    name: more.cancelsStream,
    subjects: [names.cancel],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_msgs: KEPT_CANCELS,
    max_age: nanos(KEEP_UNCOLLECTED),
  });
  // The server says "given up" once, on core NATS: kept, a client that was
  // disconnected then still hears it.
  await ensureStream(jsm, {
    name: more.lostStream,
    subjects: [names.maxDeliveries],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(KEEP_UNCOLLECTED),
  });
}

/** The consumer settings a worker asks for. */
export interface ConsumerSettings {
  /** Milliseconds a delivered job may go without news before redelivery. */
  ackWait: number;
  /** How many times a job is delivered before it is given up. */
  maxDeliver: number;
}

/** Makes the workers' shared consumer, or updates its settings. */
export async function ensureConsumer(
  jsm: JetStreamManager,
  names: QueueNames,
  settings: ConsumerSettings,
): Promise<void> {
  const wanted = {
    ack_wait: nanos(settings.ackWait),
    max_deliver: settings.maxDeliver,
  };
  try {
    const info = await jsm.consumers.info(names.jobsStream, names.consumer);
    if (
      info.config.ack_wait !== wanted.ack_wait ||
      info.config.max_deliver !== wanted.max_deliver
    ) {
      await jsm.consumers.update(names.jobsStream, names.consumer, wanted);
    }
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await jsm.consumers.add(names.jobsStream, {
      durable_name: names.consumer,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ...wanted,
    });
  } catch (error) {
    await jsm.consumers.info(names.jobsStream, names.consumer).catch(() => {
      throw error;
    });
  }
}
