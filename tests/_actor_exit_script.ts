// Copyright 2026 the @frontier/generators authors. MIT license.
// Spawns Worker actors, uses them, stops the system, and prints. The process
// must then exit by itself: a Worker left running would keep it alive.

import { actorModule, ActorSystem } from "@frontier/generators/actor";

const fixtures = actorModule<typeof import("./_actor_fixtures.ts")>(
  new URL("./_actor_fixtures.ts", import.meta.url),
);
const system = new ActorSystem();
const refs = [0, 1, 2].map((i) =>
  system.spawnWorker(`echo-${i}`, { module: fixtures, export: "echo" })
);
const answers = await Promise.all(refs.map((ref, i) => ref.ask(i)));
await system.stop();
console.log(`answers: ${answers.join(",")}; stopped`);
