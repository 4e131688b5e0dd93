// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Part 6 of the tutorial across processes: the recursive ping-pong, with
 * `ping` in this process and `pong` in another `deno run` process, the two
 * actor systems connected through NATS. Neither knows where the other is:
 * each sends to a name, as in the tutorial. This script plays both machines:
 * it starts a local `nats-server` with JetStream when one is on `PATH` (and
 * says how to get one when not), runs itself again as the `pong` process,
 * plays ten visible rounds and ten thousand quiet ones, prints the round
 * trip, and exits.
 *
 * On real machines the two halves run apart: `deno run -A
 * examples/remote_actors.ts --pong <servers>` on one, and the same without
 * `--pong` but with the servers (`--servers <servers>`) on the other.
 *
 * Run it with `deno run -A examples/remote_actors.ts`.
 *
 * @module
 */

import {
  type ActorGenerator,
  ActorSystem,
  send,
} from "@frontier/generators/actor";
import { Future } from "@frontier/generators/future";
import { connectActors } from "@frontier/generators/nats-actors";
import {
  hasNatsServer,
  NO_NATS_SERVER,
  startLocalNats,
} from "./_local_nats.ts";

const VISIBLE = 10;
const ROUNDS = 10_000;

/** Pong, as in the tutorial: answers every ball with the next one. */
export function* pong(): ActorGenerator<number> {
  while (true) {
    const n = yield;
    if (n < VISIBLE) console.log(`pong ${n}  (process ${Deno.pid})`);
    send("ping", n + 1);
  }
}

/** The pong process: serves `pong` until it is told to stop. */
async function servePong(servers: string): Promise<void> {
  await using system = new ActorSystem();
  await using remote = await connectActors(system, {
    servers,
    cluster: "ping-pong",
  });
  await remote.spawn("pong", pong);
  const stop = new Future<void>();
  await remote.spawn("pong-stop", function* () {
    yield;
    stop.setResult();
  });
  await stop;
}

/** The ping process: plays against `pong`, wherever it runs. */
async function playPing(servers: string): Promise<void> {
  await using system = new ActorSystem();
  await using remote = await connectActors(system, {
    servers,
    cluster: "ping-pong",
  });
  const done = new Future<number>();
  let started = 0;
  await remote.spawn("ping", function* (): ActorGenerator<number> {
    while (true) {
      const n = yield;
      if (n < VISIBLE) console.log(`ping ${n}  (process ${Deno.pid})`);
      if (n === VISIBLE) started = performance.now();
      if (n >= VISIBLE + 2 * ROUNDS) done.setResult(n);
      else send("pong", n + 1);
    }
  });
  await remote.waitFor("pong", { timeout: 30_000 });
  system.send("ping", 0);
  const last = await done;
  const ms = performance.now() - started;
  console.log(
    `... ${
      ROUNDS.toLocaleString("en")
    } more round trips between the two processes in ${
      ms.toFixed(0)
    } ms (last ball ${last.toLocaleString("en")})`,
  );
  console.log(
    `round trip: ${
      (ms / ROUNDS).toFixed(3)
    } ms (ping -> pong -> ping, through nats-server)`,
  );
  system.send("pong-stop", "done");
}

/** Runs a server and the pong process, then plays ping against it. */
export async function main(): Promise<void> {
  if (!hasNatsServer()) {
    console.log(NO_NATS_SERVER);
    return;
  }
  await using nats = await startLocalNats("remote_actors_");
  const servers = nats.servers;
  let pongProcess: Deno.ChildProcess | undefined;
  try {
    pongProcess = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", import.meta.url, "--pong", servers],
      // Its lines join this output as they come, in turn with ping's.
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
    console.log(
      `nats-server at ${servers}; ping runs here (process ${Deno.pid}), pong in process ${pongProcess.pid}`,
    );
    await playPing(servers);
    const status = await pongProcess.status;
    pongProcess = undefined;
    if (!status.success) throw new Error(`pong exited with ${status.code}`);
  } finally {
    pongProcess?.kill("SIGKILL");
    await pongProcess?.status;
  }
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--pong");
  const servers = Deno.args.indexOf("--servers");
  if (at >= 0) await servePong(Deno.args[at + 1]);
  else if (servers >= 0) await playPing(Deno.args[servers + 1]);
  else await main();
}
