// Copyright 2026 the @frontier/generators authors. MIT license.
// One actor: a name bound to a generator (or, for a Worker actor, to the
// Worker that runs it), which it starts and closes. It is also the actor's
// handle, `ActorRef`: a restart keeps the cell and replaces the generator, so
// a handle stays bound to its actor, and never to another one that takes the
// name later.

import type { ActorRef, ActorSystem, AskOptions } from "../actor.ts";
import type { Future } from "../future.ts";
import { ActorError } from "./error.ts";
import { handling } from "./ask.ts";
import type { Engine } from "./engine.ts";
import type { WorkerHost } from "./host.ts";
import type { RestartPolicy } from "./restart.ts";
import { checkYield, finish } from "./yields.ts";

/** The state of a cell that takes messages. */
export const ALIVE = 0;
/** The state of a cell that has stopped, for good or until it restarts. */
export const STOPPED = 1;

/** A generator function that makes an actor, as the engine calls it. */
export type AnyGeneratorFunction = (
  ...args: unknown[]
) => Generator<unknown, unknown, unknown>;

/** One actor of an engine, and its handle. */
export class Cell<M = unknown> implements ActorRef<M> {
  readonly name: string;
  readonly system: ActorSystem;
  readonly engine: Engine;
  state = ALIVE;
  generator: Generator<unknown, unknown, unknown> | undefined = undefined;
  // What makes the generator again on a restart; let go of once it stops.
  generatorFunction: AnyGeneratorFunction | undefined;
  args: unknown[];
  policy: RestartPolicy | undefined;
  host: WorkerHost | undefined = undefined;
  // Its handler is on the stack: stop() waits until it yields.
  running = false;
  closeRequested = false;
  // Stopped for good, and said so.
  ended = false;

  constructor(
    engine: Engine,
    name: string,
    options: {
      generatorFunction?: AnyGeneratorFunction;
      args?: unknown[];
      policy?: RestartPolicy;
    } = {},
  ) {
    this.engine = engine;
    this.system = engine.system;
    this.name = name;
    this.generatorFunction = options.generatorFunction;
    this.args = options.args ?? [];
    this.policy = options.policy;
  }

  /**
   * Makes the generator and runs it to its first `yield`; throws what it
   * throws. A generator that returns at once leaves `generator` unset.
   */
  begin(): void {
    const savedCell = handling.cell;
    const savedAsk = handling.ask;
    const savedReplied = handling.replied;
    handling.cell = this as Cell;
    handling.ask = undefined;
    try {
      const generator = this.generatorFunction!(...this.args);
      let result = generator.next();
      if (!result.done && result.value !== undefined) {
        result = checkYield(generator, {
          name: this.name,
          value: result.value,
        });
      }
      this.generator = result.done ? undefined : generator;
    } finally {
      handling.cell = savedCell;
      handling.ask = savedAsk;
      handling.replied = savedReplied;
    }
  }

  /**
   * Closes a local actor: no more messages, and its generator is returned so
   * that its `finally` blocks run (after its handler, if it is running).
   */
  close(): void {
    this.state = STOPPED;
    if (this.running) {
      this.closeRequested = true;
      return;
    }
    this.closeRequested = false;
    const generator = this.generator;
    this.generator = undefined;
    if (generator !== undefined) {
      const savedCell = handling.cell;
      const savedAsk = handling.ask;
      handling.cell = this as Cell;
      handling.ask = undefined;
      this.running = true;
      try {
        const yields = finish(generator);
        if (yields > 0) {
          this.engine.report(
            new ActorError(
              `Cannot stop actor ${
                JSON.stringify(this.name)
              } cleanly: it yielded in a finally block while stopping; a stopped actor takes no more messages, so its cleanup cannot wait for one; ${
                yields === Infinity
                  ? "it kept yielding however often it was returned from, and was left suspended"
                  : "it was returned from at that yield, so the rest of that finally block did not run"
              }`,
              this.name,
            ),
            { name: this.name, message: undefined, restarting: false },
          );
        }
      } catch (error) {
        this.engine.report(error, {
          name: this.name,
          message: undefined,
          restarting: false,
        });
      } finally {
        this.running = false;
        handling.cell = savedCell;
        handling.ask = savedAsk;
      }
    }
    this.engine.setStopped(this as Cell);
  }

  get stopped(): boolean {
    return this.state === STOPPED;
  }

  send(message: M): void {
    this.engine.post(this as Cell, message, undefined);
  }

  ask<R = unknown>(message: M, options?: AskOptions): Future<R> {
    return this.engine.askCell(this as Cell, message, options) as Future<R>;
  }

  stop(): Promise<void> {
    return this.engine.stopCell(this as Cell);
  }

  [Symbol.for("Deno.customInspect")](): string {
    const where = this.host === undefined ? "" : " in a Worker";
    return `ActorRef ${JSON.stringify(this.name)}${where} { <${
      this.state === ALIVE ? "running" : "stopped"
    }> }`;
  }
}
