// Copyright 2026 the @frontier/generators authors. MIT license.
// The names of a cluster's actors, in a JetStream key-value bucket (the
// layout of `@nats-io/kv`, so `nats kv` reads it): one key per name, whose
// value says which process holds it. A process claims a name by writing its
// key only if it has no value (the server checks the subject's last
// sequence, so of two processes that claim one name at once exactly one
// wins), keeps it by writing it again before the bucket's age limit removes
// it (each write checks the revision it wrote last), and frees it with a
// delete marker. nats-server 2.9 has no per-key age limit: the bucket's
// `max_age` is the time after which a dead process's names are free.

import {
  DiscardPolicy,
  type JetStreamClient,
  type JetStreamManager,
  StorageType,
} from "npm:@nats-io/jetstream@3.4.0";
import { headers as makeHeaders, nanos } from "npm:@nats-io/nats-core@3.4.0";
import type { ClusterNames } from "./actor_names.ts";

/** Which process holds a name: what a key's value says. */
export interface Holder {
  /** The process's random id (a subject token). */
  process: string;
  /** Its host name, for messages. */
  host: string;
  /** Its process id on that host, for messages. */
  pid: number;
}

/** The outcome of a claim: the revision written, or who holds the name. */
export type Claim = { revision: number } | { holder: Holder };

const OPERATION = "KV-Operation";
// JetStream's error code for a write whose expected last sequence is wrong.
const WRONG_LAST_SEQUENCE = 10071;

/**
 * Makes the bucket when it is missing, with `ttl` milliseconds as its age
 * limit.
 *
 * @returns The age limit of the bucket as it is (another process may have
 * made it first, with another limit: that one holds).
 */
export async function ensureBucket(
  jsm: JetStreamManager,
  names: ClusterNames,
  ttl: number,
): Promise<number> {
  try {
    const info = await jsm.streams.info(names.stream);
    return info.config.max_age / 1e6;
  } catch (error) {
    if (!(error instanceof Error && /not found/i.test(error.message))) {
      throw error;
    }
  }
  try {
    const info = await jsm.streams.add({
      name: names.stream,
      subjects: [names.keys],
      max_msgs_per_subject: 1,
      discard: DiscardPolicy.New,
      allow_rollup_hdrs: true,
      deny_delete: true,
      allow_direct: true,
      max_age: nanos(ttl),
      storage: StorageType.File,
      num_replicas: 1,
    });
    return info.config.max_age / 1e6;
  } catch (error) {
    // Another process made it first: use theirs.
    const info = await jsm.streams.info(names.stream).catch(() => {
      throw error;
    });
    return info.config.max_age / 1e6;
  }
}

/** Reads a key's value as a holder; `undefined` for anything else. */
export function readHolder(data: Uint8Array): Holder | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(data));
    if (
      typeof value === "object" && value !== null &&
      typeof value.process === "string" && typeof value.host === "string" &&
      typeof value.pid === "number"
    ) {
      return { process: value.process, host: value.host, pid: value.pid };
    }
  } catch {
    // Not a value this module wrote.
  }
  return undefined;
}

/** Whether a stored message is a delete or purge marker. */
export function isDeleted(operation: string | undefined): boolean {
  return operation === "DEL" || operation === "PURGE";
}

function wrongLastSequence(error: unknown): boolean {
  return (error as { code?: unknown })?.code === WRONG_LAST_SEQUENCE ||
    (error instanceof Error && /wrong last sequence/i.test(error.message));
}

/** The bucket of names, as one process uses it. */
export class Registry {
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #names: ClusterNames;
  readonly #value: Uint8Array;

  constructor(
    jsm: JetStreamManager,
    names: ClusterNames,
    self: Holder,
  ) {
    this.#jsm = jsm;
    this.#js = jsm.jetstream();
    this.#names = names;
    this.#value = new TextEncoder().encode(JSON.stringify(self));
  }

  /**
   * Claims the key `key` for this process: writes it if it has no value
   * (never written, deleted, or removed by the age limit).
   */
  async claim(key: string): Promise<Claim> {
    let expected = 0;
    for (let attempt = 0; attempt < 8; attempt++) {
      try {
        const ack = await this.#js.publish(this.#names.key(key), this.#value, {
          expect: { lastSubjectSequence: expected },
        });
        return { revision: ack.seq };
      } catch (error) {
        if (!wrongLastSequence(error)) throw error;
      }
      const stored = await this.#jsm.streams.getMessage(this.#names.stream, {
        last_by_subj: this.#names.key(key),
      });
      if (stored === null) expected = 0;
      else if (isDeleted(stored.header?.get(OPERATION))) expected = stored.seq;
      else {
        return {
          holder: readHolder(stored.data) ??
            { process: "unknown", host: "unknown", pid: 0 },
        };
      }
    }
    throw new Error(
      `Cannot claim actor name key ${key}: it changed under every attempt (other processes keep writing it); spawn the actor again, or under another name`,
    );
  }

  /**
   * Writes the key again, if it still has the revision this process wrote
   * last.
   *
   * @returns The new revision, or `undefined` if the name is no longer this
   * process's (the age limit removed it, or another process took it).
   */
  async refresh(key: string, revision: number): Promise<number | undefined> {
    try {
      const ack = await this.#js.publish(this.#names.key(key), this.#value, {
        expect: { lastSubjectSequence: revision },
      });
      return ack.seq;
    } catch (error) {
      if (wrongLastSequence(error)) return undefined;
      throw error;
    }
  }

  /**
   * Keeps the key: writes it again, or, if the age limit removed it (this
   * process was cut off for a while), claims it again, unless another
   * process took it meanwhile.
   */
  async renew(key: string, revision: number): Promise<Claim> {
    const renewed = await this.refresh(key, revision);
    return renewed === undefined ? this.claim(key) : { revision: renewed };
  }

  /** Frees the key, if it still has the revision this process wrote last. */
  async release(key: string, revision: number): Promise<void> {
    const h = makeHeaders();
    h.set(OPERATION, "DEL");
    try {
      await this.#js.publish(this.#names.key(key), undefined, {
        headers: h,
        expect: { lastSubjectSequence: revision },
      });
    } catch (error) {
      // Another process holds it now: not ours to free.
      if (!wrongLastSequence(error)) throw error;
    }
  }
}
