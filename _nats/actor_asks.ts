// Copyright 2026 the @frontier/generators authors. MIT license.
// The questions a process has asked actors of other processes and not yet
// had answered. While any wait, the processes they went to are asked "are
// you there?" every `probeInterval`: when a process has died, NATS answers
// at once that nobody serves its subject, and its questions fail with an
// error that says so, instead of waiting for their timeout (or forever).
// A process answers with its connection's epoch, which changes each time it
// reconnects: a question asked before a change may have been lost with the
// connection (NATS keeps nothing for a subscriber that is away), so it fails
// too rather than wait for ever.

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
  /** The epoch of its process when it was asked, once known. */
  epoch: string | undefined;
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
  // The epoch each process answered with last.
  readonly #epochs = new Map<string, string>();
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
    const epoch = this.#epochs.get(holder.process);
    this.#pending.set(id, { slot, name, message, holder, epoch });
    // Learns the epoch of a process at its first question, not a probe later.
    if (epoch === undefined) this.#probeOne(holder);
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
    // An epoch heard before an idle spell may be stale by now: a question
    // asked after a reconnection must not fail for it. Learnt again at the
    // next question.
    for (const process of this.#epochs.keys()) {
      if (!processes.has(process)) this.#epochs.delete(process);
    }
    for (const holder of processes.values()) this.#probeOne(holder);
    if (this.#pending.size > 0 && !this.#nc.isClosed()) {
      this.#timer = setTimeout(this.#probe, this.#interval);
    }
  }

  #probeOne(holder: Holder): void {
    const process = holder.process;
    if (this.#probing.has(process)) return;
    const probe = this.#nc.request(this.#subject(process), undefined, {
      // A busy process may not answer in time: only "no responders" counts,
      // and the next probe goes out at once rather than waiting for this one.
      // At most a second: close() waits for the probes on their way.
      timeout: Math.min(1000, Math.max(50, this.#interval)),
    }).then(
      (msg) => this.#answered(holder, new TextDecoder().decode(msg.data)),
      (error) => {
        const gone = (error as { isNoResponders?: () => boolean })
          .isNoResponders?.() ?? false;
        if (gone) this.#gone(holder);
      },
    ).finally(() => this.#probing.delete(process));
    this.#probing.set(process, probe);
  }

  // The process of `holder` answered a probe with `epoch`.
  #answered(holder: Holder, epoch: string): void {
    // Forged process ids must not grow it for good.
    if (this.#epochs.size >= 4096) this.#epochs.clear();
    this.#epochs.set(holder.process, epoch);
    for (const [id, pending] of this.#pending) {
      if (pending.holder.process !== holder.process) continue;
      if (pending.epoch === undefined) pending.epoch = epoch;
      else if (pending.epoch !== epoch) {
        this.fail(
          id,
          new ActorError(
            `Cannot get a reply from actor ${
              JSON.stringify(pending.name)
            }: its ${
              describeHolder(holder)
            } lost its connection to NATS and came back while the question waited, and the question or its answer may have been lost with it; ask again if that is safe`,
            pending.name,
          ),
        );
      }
    }
  }

  // The process of `holder` is gone: its questions will never be answered.
  #gone(holder: Holder): void {
    this.#epochs.delete(holder.process);
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
