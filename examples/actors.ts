// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Part 6 of the tutorial: actors made of generators.
 *
 * 1. The tutorial's naive registry, where `send` calls the generator
 *    directly: the printer works, ping-pong fails with JavaScript's own
 *    "Generator is already running" (Python says "generator already
 *    executing").
 * 2. The tiny message scheduler: the same ping-pong through
 *    `send`/`run({ maxMessages })`, then a million messages more without
 *    growing the stack.
 * 3. A question and its answer with `ask` and `reply`.
 * 4. Real concurrency: ping on the main thread, pong in a Worker.
 *
 * Run it with `deno run -A examples/actors.ts`.
 *
 * This module also exports the actor functions that run in Workers (`pong`,
 * `echo`); a Worker imports it without running `main()`.
 *
 * @module
 */

import {
  type ActorGenerator,
  actorModule,
  ActorSystem,
  reply,
  send,
} from "@frontier/generators/actor";
import { Future } from "@frontier/generators/future";

/** Pong for the cross-Worker game: answers every ball with the next one. */
export function* pong(): ActorGenerator<number> {
  while (true) {
    const n = yield;
    send("ping", n + 1);
  }
}

/** Replies to every question with the message itself. */
export function* echo(): ActorGenerator<unknown> {
  while (true) reply(yield);
}

/** Counts the messages it gets, and replies with the count when asked. */
export function* counter(): ActorGenerator<unknown> {
  let count = 0;
  while (true) {
    yield;
    if (!reply(count)) count++;
  }
}

// Attempt I of the tutorial: a central registry, and a send that is a plain
// method call on the generator.
type Gen = Generator<void, unknown, number>;
const registry = new Map<string, Gen>();

function naiveSend(name: string, msg: number): void {
  registry.get(name)!.next(msg);
}

function naiveActor(fn: () => Gen): () => void {
  return () => {
    const gen = fn();
    gen.next();
    registry.set(fn.name, gen);
  };
}

function naiveRegistry(): void {
  console.log("-- Attempt I: a registry and a direct send --");
  const printer = naiveActor(function* printer() {
    while (true) {
      const msg = yield;
      console.log("printer:", msg);
    }
  });
  printer();
  let n = 10;
  while (n > 0) {
    naiveSend("printer", n);
    n -= 1;
  }

  console.log("-- Recursive ping-pong, naive --");
  const ping = naiveActor(function* ping() {
    while (true) {
      const n = yield;
      console.log(`ping ${n}`);
      naiveSend("pong", n + 1);
    }
  });
  const pong = naiveActor(function* pong() {
    while (true) {
      const n = yield;
      console.log(`pong ${n}`);
      naiveSend("ping", n + 1);
    }
  });
  ping();
  pong();
  try {
    naiveSend("ping", 0);
  } catch (error) {
    console.log(`${(error as Error).name}: ${(error as Error).message}`);
  }
}

function scheduler(): void {
  console.log("-- Solution 2: a tiny message scheduler --");
  const system = new ActorSystem();
  let quiet = false;
  let last = 0;
  system.actor(function* ping(): ActorGenerator<number> {
    while (true) {
      const n = yield;
      if (!quiet) console.log(`ping ${n}`);
      last = n;
      system.send("pong", n + 1);
    }
  })();
  system.actor(function* pong(): ActorGenerator<number> {
    while (true) {
      const n = yield;
      if (!quiet) console.log(`pong ${n}`);
      last = n;
      system.send("ping", n + 1);
    }
  })();
  system.send("ping", 0);
  system.run({ maxMessages: 10 });
  console.log("...");
  quiet = true;
  const started = performance.now();
  const delivered = system.run({ maxMessages: 1_000_000 });
  const ms = performance.now() - started;
  console.log(
    `${delivered.toLocaleString("en")} more messages in ${
      ms.toFixed(0)
    } ms, last ball ${
      last.toLocaleString("en")
    }: no stack growth, no "already running"`,
  );
}

async function question(): Promise<void> {
  console.log("-- ask and reply --");
  await using system = new ActorSystem();
  system.spawn("bank", function* (): ActorGenerator<number> {
    let balance = 0;
    while (true) {
      balance += yield;
      reply(balance);
    }
  });
  system.start();
  await system.ask("bank", 100);
  const balance = await system.ask<number>("bank", -30);
  console.log(`deposited 100, withdrew 30: balance ${balance}`);
}

async function acrossWorkers(): Promise<void> {
  console.log("-- ping on the main thread, pong in a Worker --");
  const rounds = 10_000;
  await using system = new ActorSystem();
  const done = new Future<number>();
  system.spawn("ping", function* (): ActorGenerator<number> {
    while (true) {
      const n = yield;
      if (n < 6) console.log(`ping ${n} (main thread)`);
      if (n >= 2 * rounds) done.setResult(n);
      else system.send("pong", n + 1);
    }
  });
  const mod = actorModule<typeof import("./actors.ts")>(import.meta.url);
  system.spawnWorker("pong", { module: mod, export: "pong" });
  system.start();
  const started = performance.now();
  system.send("ping", 0);
  const last = await done;
  const ms = performance.now() - started;
  console.log(
    `... ${
      rounds.toLocaleString("en")
    } round trips across the Worker boundary in ${
      ms.toFixed(0)
    } ms (last ball ${last.toLocaleString("en")})`,
  );
}

/** Runs the part. */
export async function main(): Promise<void> {
  naiveRegistry();
  scheduler();
  await question();
  await acrossWorkers();
}

if (import.meta.main) await main();
