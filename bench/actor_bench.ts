// Copyright 2026 the @frontier/generators authors. MIT license.
// Actors: delivery through the scheduler against a raw `gen.next(msg)` loop,
// ping-pong against the peers (xstate, effection), and, for an actor in a
// Worker, one-way throughput, a question's round trip and start-up, each
// against the floors of bare Workers: a Web Worker, and the
// `node:worker_threads` Worker that Worker actors run on (the one whose
// `terminate()` stops a loop).
//
//   deno bench -A bench/actor_bench.ts
//
// Every iteration moves N messages, so messages per second = N / time.

import {
  type ActorGenerator,
  actorModule,
  ActorSystem,
} from "@frontier/generators/actor";
import { Worker as NodeWorker } from "node:worker_threads";
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
// The floors post what the actor's link posts for the same messages: arrays
// of (SEND, message) pairs, 16,384 slots each; their Worker counts them and
// answers "report" with the count.

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

const FLOOR_SCRIPT = `data:text/javascript,${
  encodeURIComponent(`
    let count = 0;
    onmessage = (event) => {
      const data = event.data;
      if (data === "report") {
        postMessage(count);
        count = 0;
        return;
      }
      for (let i = 0; i < data.length; i += 2) if (data[i] === 1) count++;
    };
  `)
}`;

/** A bare Worker of either kind, with a way to ask for its count. */
interface Floor {
  post(message: unknown): void;
  report(): Promise<number>;
  stop(): void;
}

function webFloor(): Floor {
  const worker = new Worker(FLOOR_SCRIPT, { type: "module" });
  let answer: (count: number) => void = () => {};
  worker.onmessage = (event) => answer(event.data);
  return {
    post: (message) => worker.postMessage(message),
    report: () =>
      new Promise<number>((resolve) => {
        answer = resolve;
        worker.postMessage("report");
      }),
    stop: () => worker.terminate(),
  };
}

function nodeFloor(): Floor {
  const worker = new NodeWorker(new URL(FLOOR_SCRIPT));
  let answer: (count: number) => void = () => {};
  worker.on("message", (count: number) => answer(count));
  return {
    post: (message) => worker.postMessage(message),
    report: () =>
      new Promise<number>((resolve) => {
        answer = resolve;
        worker.postMessage("report");
      }),
    stop: () => void worker.terminate(),
  };
}

const SLOTS = 1 << 14;

for (
  const [kind, start] of [
    ["Web Worker", webFloor],
    ["node:worker_threads Worker", nodeFloor],
  ] as const
) {
  Deno.bench(`bare worker (${kind}), the same messages in batches`, {
    group: "worker",
    n: 5,
    warmup: 1,
  }, async (b) => {
    const floor = start();
    await floor.report(); // the Worker is up
    b.start();
    let batch: number[] = [];
    for (let i = 0; i < M; i++) {
      batch.push(1, i);
      if (batch.length === SLOTS) {
        floor.post(batch);
        batch = [];
      }
    }
    floor.post(batch);
    const count = await floor.report();
    b.end();
    if (count !== M) throw new Error(`the Worker counted ${count}, not ${M}`);
    floor.stop();
  });
}

// --- across a Worker: one question at a time, and start-up -------------------

const ROUND_TRIPS = 1000;

Deno.bench(
  `ActorSystem ask() of a Worker actor, ${ROUND_TRIPS} one at a time`,
  {
    group: "worker round trip",
    baseline: true,
    n: 10,
    warmup: 2,
  },
  async (b) => {
    const system = new ActorSystem();
    const counter = system.spawnWorker("counter", {
      module: mod,
      export: "counter",
    });
    await counter.ask(undefined);
    b.start();
    for (let i = 0; i < ROUND_TRIPS; i++) await counter.ask(undefined);
    b.end();
    await system.stop();
  },
);

for (
  const [kind, start] of [
    ["Web Worker", webFloor],
    ["node:worker_threads Worker", nodeFloor],
  ] as const
) {
  Deno.bench(`bare worker (${kind}), ${ROUND_TRIPS} round trips`, {
    group: "worker round trip",
    n: 10,
    warmup: 2,
  }, async (b) => {
    const floor = start();
    await floor.report();
    b.start();
    for (let i = 0; i < ROUND_TRIPS; i++) await floor.report();
    b.end();
    floor.stop();
  });
}

Deno.bench("ActorSystem spawnWorker() until its first answer", {
  group: "worker start-up",
  baseline: true,
  n: 10,
  warmup: 2,
}, async () => {
  const system = new ActorSystem();
  const counter = system.spawnWorker("counter", {
    module: mod,
    export: "counter",
  });
  await counter.ask(undefined);
  await system.stop();
});

for (
  const [kind, start] of [
    ["Web Worker", webFloor],
    ["node:worker_threads Worker", nodeFloor],
  ] as const
) {
  Deno.bench(`bare worker (${kind}) until its first answer`, {
    group: "worker start-up",
    n: 10,
    warmup: 2,
  }, async () => {
    const floor = start();
    await floor.report();
    floor.stop();
  });
}
