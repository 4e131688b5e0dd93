// Copyright 2026 the @frontier/generators authors. MIT license.
// A process of a cluster of actor systems, for the tests and the benchmark:
// `deno run -A tests/_nats_actors_peer.ts <servers> <cluster> <nameTtl>
// <actor>...` spawns the named actors below, prints "ready", and serves them
// until it is killed, or until its actor "quit" gets a message. With "raw"
// among the actors, it also serves the benchmark's floor with the plain
// client: a responder on `bench.echo`, and a counter of the messages on
// `bench.sink` that `bench.count` answers with.

import { type ActorGenerator, ActorSystem, reply } from "../actor.ts";
import { connectActors } from "../nats_actors.ts";
import { connect } from "npm:@nats-io/transport-node@3.4.0";

const [servers, cluster, ttl, ...actors] = Deno.args;

const system = new ActorSystem({
  onError: (error, info) =>
    console.error(`error in ${info.name}: ${(error as Error).message}`),
});
const remote = await connectActors(system, {
  servers,
  cluster,
  nameTtl: Number(ttl),
});

/** Replies with what it gets. */
function* echo(): ActorGenerator<unknown> {
  while (true) reply(yield);
}

/**
 * Counts `[sender, seq]` messages and the ones out of order; asked anything,
 * replies `{ count, disorder }`.
 */
function* sink(): ActorGenerator<unknown> {
  let count = 0;
  let disorder = 0;
  const last = new Map<unknown, number>();
  while (true) {
    const message = yield;
    if (Array.isArray(message)) {
      const [sender, seq] = message;
      if (seq !== (last.get(sender) ?? -1) + 1) disorder++;
      last.set(sender, seq);
      count++;
    } else reply({ count, disorder });
  }
}

/**
 * Stays busy for a minute with each message, holding its question, and the
 * whole process with it (the test kills the process meanwhile).
 */
function* stall(): ActorGenerator<unknown> {
  while (true) {
    yield;
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      // Busy: nothing else of this process runs.
    }
  }
}

/** Replies with what it gets, after half a second of work. */
function* slow(): ActorGenerator<unknown> {
  while (true) {
    const message = yield;
    const until = Date.now() + 500;
    while (Date.now() < until) {
      // Busy.
    }
    reply(message);
  }
}

/** Throws on "boom"; replies its generation (how often it was made). */
let generation = 0;
function* fragile(): ActorGenerator<string> {
  generation++;
  while (true) {
    const message = yield;
    if (message === "boom") throw new RangeError("boom");
    reply(generation);
  }
}

/** Throws a rich error back to the asker. */
function* thrower(): ActorGenerator<unknown> {
  while (true) {
    yield;
    throw new TypeError("thrown in the peer", { cause: new Map([[1, 2]]) });
  }
}

const functions: Record<string, () => ActorGenerator<never>> = {
  echo,
  sink,
  slow,
  stall,
  fragile,
  thrower,
} as Record<string, () => ActorGenerator<never>>;

for (const name of actors) {
  if (name === "raw") continue;
  if (name === "fragile") {
    await remote.spawn({ name, restart: "always", maxRestarts: 5 }, fragile);
  } else await remote.spawn(name, functions[name]);
}
const raw = actors.includes("raw") ? await connect({ servers }) : undefined;
if (raw !== undefined) {
  let count = 0;
  raw.subscribe("bench.sink", {
    callback: () => {
      count++;
    },
  });
  raw.subscribe("bench.count", {
    callback: (_error, msg) => {
      msg.respond(String(count));
    },
  });
  raw.subscribe("bench.echo", {
    callback: (_error, msg) => {
      msg.respond(msg.data);
    },
  });
}
const quit = Promise.withResolvers<void>();
await remote.spawn("quit-" + remote.processId, function* () {
  yield;
  quit.resolve();
});
console.log(`ready ${remote.processId}`);
Deno.addSignalListener("SIGTERM", () => quit.resolve());
await quit.promise;
await raw?.close();
await remote.close();
await system.stop();
Deno.exit(0);
