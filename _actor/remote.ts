// Copyright 2026 the @frontier/generators authors. MIT license.
// What an engine asks of the side that connects its system to other
// processes (`_nats/actor_node.ts`): names it does not hold go there, and it
// hears of every actor that starts or stops, to publish or free its name.
// The engine consults it only where a name is not a live local actor, so a
// message between two actors of one process never reaches it.

import type { AskSlot } from "./ask.ts";
import type { Cell } from "./cell.ts";

/** The way from an engine to actors of other processes. */
export interface RemoteRoute {
  /**
   * Sends `message` to the actor `name` of another process, or, for a
   * question, `ask` gets the answer.
   *
   * @returns `false` if no other process is known to serve `name`; nothing
   * was sent.
   */
  forward(name: string, message: unknown, ask: AskSlot | undefined): boolean;
  /**
   * Throws an `ActorError` if another process is known to hold `name`
   * (`action` names the call for the message).
   */
  checkFree(action: string, name: string): void;
  /** A local actor started under `cell.name`: publish the name. */
  started(cell: Cell): void;
  /** A local actor stopped for good: free its name. */
  stopped(cell: Cell): void;
  /** Words for the error of a name nobody has, e.g. ` or in cluster "c"`. */
  readonly where: string;
}
