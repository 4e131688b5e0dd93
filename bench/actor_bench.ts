// Copyright 2026 the @frontier/generators authors. MIT license.
// Actors: delivery through the scheduler against a raw `gen.next(msg)` loop,
// ping-pong against the peers (xstate, effection), and one-way throughput
// into an actor in a Web Worker.
//
//   deno bench -A bench/actor_bench.ts
//
// Every iteration moves N messages, so messages per second = N / time.

import {
  type ActorGenerator,
  actorModule,
  ActorSystem,
} from "@frontier/generators/actor";
import { createActor, fromTransition } from "xstate";
import { createChannel, run as effectionRun, spawn } from "effection";

const N = 100_000;

// --- delivery: one actor, N messages ---------------------------------------

let total = 0;
function* sink(): ActorGenerator<number> {
  while (true) total += yield;
}

const rawGen = sink();
rawGen.next();

Deno.bench("raw gen.next(msg) loop", {
  group: "delivery",
  baseline: true,
}, () => {
  for (let i = 0; i < N; i++) rawGen.next(i);
});

const deliverySystem = new ActorSystem();
deliverySystem.spawn("sink", sink);

Deno.bench("system.send(name, msg) + run()", { group: "delivery" }, () => {
  for (let i = 0; i < N; i++) deliverySystem.send("sink", i);
  deliverySystem.run();
});

const refSystem = new ActorSystem();
const ref = refSystem.spawn("sink", sink);

Deno.bench("ref.send(msg) + run()", { group: "delivery" }, () => {
  for (let i = 0; i < N; i++) ref.send(i);
  refSystem.run();
});

// --- ping-pong: N messages between two actors --------------------------------

// Each game is N messages long: ping stops at N, as in the peers' games.
const pingPong = new ActorSystem();
pingPong.spawn("ping", function* (): ActorGenerator<number> {
  while (true) {
    const n = yield;
    if (n < N) pingPong.send("pong", n + 1);
  }
});
pingPong.spawn("pong", function* (): ActorGenerator<number> {
  while (true) pingPong.send("ping", (yield) + 1);
});

Deno.bench("ActorSystem ping-pong", {
  group: "ping-pong",
  baseline: true,
}, () => {
  pingPong.send("ping", 0);
  const delivered = pingPong.run();
  if (delivered !== N + 1) throw new Error(`delivered ${delivered}`);
});

type Ball = { type: "ball"; n: number };
const pongRef: { actor?: { send(event: Ball): void } } = {};
let xstateDone = 0;
const xstatePing = createActor(
  fromTransition((count: number, event: Ball) => {
    if (event.n >= N) xstateDone = event.n;
    else pongRef.actor!.send({ type: "ball", n: event.n + 1 });
    return count + 1;
  }, 0),
).start();
pongRef.actor = createActor(
  fromTransition((count: number, event: Ball) => {
    xstatePing.send({ type: "ball", n: event.n + 1 });
    return count + 1;
  }, 0),
).start();

Deno.bench("xstate fromTransition ping-pong", { group: "ping-pong" }, () => {
  xstateDone = 0;
  xstatePing.send({ type: "ball", n: 0 });
  if (xstateDone < N) throw new Error("xstate ping-pong did not finish");
});

Deno.bench("effection channel ping-pong", { group: "ping-pong" }, async () => {
  await effectionRun(function* () {
    const toPing = createChannel<number, never>();
    const toPong = createChannel<number, never>();
    const pingInbox = yield* toPing;
    const pongInbox = yield* toPong;
    yield* spawn(function* () {
      while (true) {
        const ball = yield* pongInbox.next();
        yield* toPing.send((ball.value as number) + 1);
      }
    });
    yield* toPong.send(0);
    while (true) {
      const ball = yield* pingInbox.next();
      const n = ball.value as number;
      if (n >= N) break;
      yield* toPong.send(n + 1);
    }
  });
});

// --- across a Worker: N messages one way, then one question -----------------

const M = 1_000_000;
const mod = actorModule<typeof import("../examples/actors.ts")>(
  new URL("../examples/actors.ts", import.meta.url),
);

Deno.bench(`${M.toLocaleString("en")} messages into a Worker actor`, {
  group: "worker",
  n: 5,
  warmup: 1,
}, async (b) => {
  const system = new ActorSystem();
  const counter = system.spawnWorker("counter", {
    module: mod,
    export: "counter",
  });
  await counter.ask(undefined); // the Worker is up
  b.start();
  for (let i = 0; i < M; i++) counter.send(i);
  const count = await counter.ask<number>(undefined);
  b.end();
  if (count !== M) throw new Error(`the Worker counted ${count}, not ${M}`);
  await system.stop();
});
