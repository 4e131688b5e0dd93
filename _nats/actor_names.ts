// Copyright 2026 the @frontier/generators authors. MIT license.
// The subjects and the key-value bucket of one cluster of actor systems,
// named from the cluster's name, so that every process agrees on them without
// talking (they are documented in `nats_actors.ts` for the permissions they
// need). An actor's name becomes one subject token and one key: kept as it is
// when it is made of letters, digits, `_` and `-`, else written in base64url
// after a `=` (a character plain names never have, so the two never meet).

import { describe } from "../_core/describe.ts";
import { isToken } from "./names.ts";
import { ActorError } from "../_actor/error.ts";

/** Where the actors of one cluster are found and reached. */
export interface ClusterNames {
  /** The cluster's name, e.g. `default`. */
  cluster: string;
  /** `frontier-actors-<cluster>`: the key-value bucket of names. */
  bucket: string;
  /** `KV_frontier-actors-<cluster>`: the bucket's stream. */
  stream: string;
  /** `$KV.frontier-actors-<cluster>.>`: every key of the bucket. */
  keys: string;
  /** `$KV.frontier-actors-<cluster>.<key>`: the entry of one name. */
  key(key: string): string;
  /** `frontier.actors.<cluster>.actor.<key>`: where an actor is reached. */
  actor(key: string): string;
  /** `frontier.actors.<cluster>.process.<id>`: "are you there?" */
  process(id: string): string;
  /**
   * `frontier.actors.<cluster>.reply.<id>`: answers to a process's
   * questions (`.0`) and the server's "no responders" for its batches
   * (`.<batch>`).
   */
  reply(id: string): string;
}

/** The names of cluster `cluster`; `action` names the call for messages. */
export function clusterNames(cluster: unknown, action: string): ClusterNames {
  if (!isToken(cluster)) {
    throw new TypeError(
      `Cannot ${action}: option cluster must be 1 to 64 letters, digits, "_" or "-", got ${
        describe(cluster)
      }`,
    );
  }
  const bucket = `frontier-actors-${cluster}`;
  const prefix = `frontier.actors.${cluster}`;
  return {
    cluster,
    bucket,
    stream: `KV_${bucket}`,
    keys: `$KV.${bucket}.>`,
    key: (key) => `$KV.${bucket}.${key}`,
    actor: (key) => `${prefix}.actor.${key}`,
    process: (id) => `${prefix}.process.${id}`,
    reply: (id) => `${prefix}.reply.${id}`,
  };
}

const PLAIN = /^[A-Za-z0-9_-]{1,128}$/;
/** The longest actor name that crosses, in UTF-8 bytes. */
export const MAX_NAME_BYTES = 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The key (and subject token) of the actor name `name`, or `undefined` for a
 * name too long to cross.
 */
export function nameKey(name: string): string | undefined {
  if (PLAIN.test(name)) return name;
  const bytes = encoder.encode(name);
  if (bytes.length > MAX_NAME_BYTES) return undefined;
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return "=" +
    btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The actor name of a key from {@linkcode nameKey}, or `undefined`. */
export function keyName(key: string): string | undefined {
  if (PLAIN.test(key)) return key;
  if (!/^=[A-Za-z0-9_-]{1,1400}$/.test(key)) return undefined;
  try {
    const binary = atob(key.slice(1).replaceAll("-", "+").replaceAll("_", "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const name = decoder.decode(bytes);
    return nameKey(name) === key ? name : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The key of the actor name `name`; throws an `ActorError` for a name too
 * long to cross (`action` names the call for the message).
 */
export function nameKeyFor(action: string, name: string): string {
  const key = nameKey(name);
  if (key !== undefined) return key;
  throw new ActorError(
    `Cannot ${action}: its name is longer than ${MAX_NAME_BYTES} bytes in UTF-8 (${
      encoder.encode(name).length
    }), and the names of a system connected to NATS cross in subjects; give it a shorter name`,
    name,
  );
}
