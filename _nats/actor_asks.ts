// Copyright 2026 the @frontier/generators authors. MIT license.
// The questions a process has asked actors of other processes and not yet
// had answered. While any wait, the processes they went to are asked "are
// you there?" every `probeInterval`: when a process has died, NATS answers
// at once that nobody serves its subject, and its questions fail with an
// error that says so, instead of waiting for their timeout (or forever).

import type { NatsConnection } from "npm:@nats-io/transport-node@3.4.0";
import { ActorError } from "../_actor/error.ts";
import { AskFuture, type AskSlot, failAsk, noReply } from "../_actor/ask.ts";
import { answer } from "../_actor/ask.ts";
import type { Holder } from "./actor_registry.ts";
import { FAIL, REPLY } from "./actor_wire.ts";
import { decode, decodeError } from "./wire.ts";

interface Pending {
  slot: AskSlot;
  name: string;
  message: unknown;
  holder: Holder;
}

/** Says which process a holder is, for messages. */
export function describeHolder(holder: Holder): string {
  return `process ${holder.process} (pid ${holder.pid} on ${
    JSON.stringify(holder.host)
  })`;
}

/** The questions waiting for answers from other processes. */
export class PendingAsks {
  readonly #nc: NatsConnection;
  readonly #subject: (process: string) => string;
  readonly #interval: number;
  readonly #pending = new Map<number, Pending>();
  readonly #probing = new Map<string, Promise<void>>();
  #nextId = 1;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #probe = () => {
    this.#timer = undefined;
    this.#probeAll();
  };

  constructor(
    nc: NatsConnection,
    options: { subject: (process: string) => string; interval: number },
  ) {
    this.#nc = nc;
    this.#subject = options.subject;
    this.#interval = options.interval;
  }

  /** How many questions wait. */
  get size(): number {
    return this.#pending.size;
  }

  /** Adds a question to the actor `name` of `holder`; returns its id. */
  add(slot: AskSlot, name: string, message: unknown, holder: Holder): number {
    const id = this.#nextId++;
    this.#pending.set(id, { slot, name, message, holder });
    // A future that times out or is cancelled no longer waits for its answer.
    // (Not a done callback: that would count as observing its failure.)
    if (slot instanceof AskFuture) slot.onDone = () => this.#pending.delete(id);
    if (this.#timer === undefined) {
      this.#timer = setTimeout(this.#probe, this.#interval);
    }
    return id;
  }

  /** The answer to question `id` arrived. */
  answer(id: number, value: unknown): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    answer(pending.slot, value);
  }

  /** The failure of question `id` arrived. */
  fail(id: number, error: unknown): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    failAsk(pending.slot, error);
  }

  /**
   * Reads a batch of answers and failures from another process.
   *
   * @returns `false` for bytes that are not such a batch (what was read
   * before the fault is kept).
   */
  receive(
    data: Uint8Array,
    classes: Record<string, new (message: string) => Error>,
  ): boolean {
    try {
      const operations = decode(data);
      if (!Array.isArray(operations)) return false;
      for (let i = 0; i < operations.length; i += 3) {
        const id = operations[i + 1] as number;
        const value = operations[i + 2];
        if (operations[i] === REPLY) this.answer(id, value);
        else if (operations[i] === FAIL && value instanceof Uint8Array) {
          this.fail(id, decodeError(value, classes));
        } else return false;
      }
      return true;
    } catch {
      return false;
    }
  }

  /** Fails question `id` for `reason`, as `noReply` words it. */
  failFor(id: number, reason: string): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.fail(id, noReply(pending.name, pending.message, { reason }));
  }

  /** Fails every question waiting, for `reason`. */
  failAll(reason: string): void {
    for (const id of [...this.#pending.keys()]) this.failFor(id, reason);
  }

  #probeAll(): void {
    const processes = new Map<string, Holder>();
    for (const pending of this.#pending.values()) {
      processes.set(pending.holder.process, pending.holder);
    }
    for (const [process, holder] of processes) {
      if (this.#probing.has(process)) continue;
      const probe = this.#nc.request(this.#subject(process), undefined, {
        // A busy process may not answer in time: only "no responders" counts,
        // and the next probe goes out at once rather than waiting for this one.
        timeout: Math.max(50, this.#interval),
      }).then(
        () => {},
        (error) => {
          const gone = (error as { isNoResponders?: () => boolean })
            .isNoResponders?.() ?? false;
          if (gone) this.#gone(holder);
        },
      ).finally(() => this.#probing.delete(process));
      this.#probing.set(process, probe);
    }
    if (this.#pending.size > 0 && !this.#nc.isClosed()) {
      this.#timer = setTimeout(this.#probe, this.#interval);
    }
  }

  // The process of `holder` is gone: its questions will never be answered.
  #gone(holder: Holder): void {
    for (const [id, pending] of this.#pending) {
      if (pending.holder.process !== holder.process) continue;
      this.fail(
        id,
        new ActorError(
          `Cannot get a reply from actor ${JSON.stringify(pending.name)}: its ${
            describeHolder(holder)
          } is gone; NATS has no responder for it, so it died or lost its connection before it replied`,
          pending.name,
        ),
      );
    }
  }

  /** Fails every question with `error(name)`, and stops probing. */
  async close(error: (name: string) => unknown): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const one of pending) failAsk(one.slot, error(one.name));
    await Promise.all(this.#probing.values());
  }
}
