// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Actors across two processes on NATS against the plain NATS client doing
 * the same, with a local `nats-server -js` this file starts itself and a
 * peer process (`deno run tests/_nats_actors_peer.ts`) that serves both an
 * actor system and the plain client's subjects:
 *
 * - a question and its answer, one at a time: `system.ask` of an actor in
 *   the peer against a raw request/reply with a responder in the peer (the
 *   floor), target within 1.5x;
 * - one-way messages, 100,000 of them, then one question that is answered
 *   once they are all handled: `system.send` to an actor in the peer
 *   against `publish` of the same message, already encoded, to a
 *   subscriber in the peer that counts them, target at least half the
 *   plain client's throughput;
 * - 10,000 messages between two actors of one process, in a system that is
 *   connected against one that is not: a local message never reaches the
 *   server, and costs the same.
 *
 * Run with `deno bench -A bench/nats_actors_bench.ts`. Without
 * `nats-server` on PATH it registers nothing (not in CI).
 *
 * @module
 */

import { connect } from "npm:@nats-io/transport-node@3.4.0";
import { type ActorGenerator, ActorSystem } from "../actor.ts";
import { connectActors } from "../nats_actors.ts";
import { encode } from "../_nats/wire.ts";
import { NatsServer, onPath } from "../tests/_nats_server.ts";

const MESSAGES = 100_000;

if (onPath("nats-server")) {
  const server = await NatsServer.start();
  const peer = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../tests/_nats_actors_peer.ts", import.meta.url).pathname,
      server.servers,
      "bench",
      "15000",
      "echo",
      "sink",
      "raw",
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = peer.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes("ready")) {
    const { value, done } = await lines.read();
    if (done) throw new Error("the peer ended before it was ready");
    seen += value;
  }

  const system = new ActorSystem();
  const remote = await connectActors(system, {
    servers: server.servers,
    cluster: "bench",
  });
  await remote.waitFor("sink");
  const raw = await connect({ servers: server.servers });

  // The same message both ways: the plain client's already encoded.
  const message = ["bench", 12345];
  const bytes = encode(message);
  const small = encode(1);

  // Warm every path once.
  await raw.request("bench.echo", small);
  await system.ask("echo", 1);

  addEventListener("unload", () => {
    // `deno bench` ends the process after the last bench; the children go
    // with a signal each (an unload handler cannot wait).
    for (const pid of [peer.pid, server.pid]) {
      if (pid !== undefined) Deno.kill(pid, "SIGKILL");
    }
    Deno.removeSync(server.storeDir, { recursive: true });
  });

  Deno.bench({
    name: "raw NATS request/reply (the floor)",
    group: "a question to another process, one at a time",
    baseline: true,
    async fn() {
      await raw.request("bench.echo", small);
    },
  });

  Deno.bench({
    name: "system.ask of an actor in another process",
    group: "a question to another process, one at a time",
    async fn() {
      await system.ask("echo", 1);
    },
  });

  Deno.bench({
    name: `raw NATS publish, ${MESSAGES} messages (the floor)`,
    group: `${MESSAGES} one-way messages to another process`,
    baseline: true,
    n: 10,
    warmup: 2,
    async fn() {
      for (let i = 0; i < MESSAGES; i++) raw.publish("bench.sink", bytes);
      await raw.request("bench.count", small);
    },
  });

  Deno.bench({
    name: `system.send, ${MESSAGES} messages`,
    group: `${MESSAGES} one-way messages to another process`,
    n: 10,
    warmup: 2,
    async fn() {
      for (let i = 0; i < MESSAGES; i++) system.send("sink", message);
      await system.ask("sink", "count?");
    },
  });
}

if (onPath("nats-server")) {
  // Ping-pong between two local actors, in each of two systems.
  const pingPong = (system: ActorSystem) => {
    system.spawn("local-ping", function* (): ActorGenerator<number> {
      while (true) system.send("local-pong", (yield) + 1);
    });
    system.spawn("local-pong", function* (): ActorGenerator<number> {
      while (true) system.send("local-ping", (yield) + 1);
    });
    return () => {
      system.send("local-ping", 0);
      system.run({ maxMessages: 10_000 });
    };
  };
  const alone = pingPong(new ActorSystem());
  const server = await NatsServer.start();
  const system = new ActorSystem();
  await connectActors(system, { servers: server.servers, cluster: "local" });
  const connected = pingPong(system);
  addEventListener("unload", () => {
    if (server.pid !== undefined) Deno.kill(server.pid, "SIGKILL");
    Deno.removeSync(server.storeDir, { recursive: true });
  });

  Deno.bench({
    name: "10,000 local messages, system not connected",
    group: "10,000 messages between two actors of one process",
    baseline: true,
    fn: alone,
  });

  Deno.bench({
    name: "10,000 local messages, system connected to NATS",
    group: "10,000 messages between two actors of one process",
    fn: connected,
  });
}
