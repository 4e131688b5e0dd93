// Copyright 2026 the @frontier/generators authors. MIT license.
// The error class of actor.ts, in a file of its own so that the private
// Worker plumbing can throw it without importing the public module.

/**
 * Thrown or reported for what goes wrong between actors: a name nobody has,
 * a name taken twice, a question left without a reply, an actor that failed.
 *
 * @example
 * ```ts
 * import { ActorError, ActorSystem } from "@frontier/generators/actor";
 * import assert from "node:assert/strict";
 *
 * const system = new ActorSystem();
 * assert.throws(() => system.send("nobody", 1), ActorError);
 * ```
 */
export class ActorError extends Error {
  /** The name of the actor concerned. */
  readonly actor: string;

  /**
   * Makes an `ActorError`.
   *
   * @param message What went wrong.
   * @param actor The name of the actor concerned.
   * @param options The `cause`, if any.
   */
  constructor(message: string, actor: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ActorError";
    this.actor = actor;
  }
}
