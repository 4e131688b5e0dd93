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

function hasNatsServer(): boolean {
  try {
    new Deno.Command("nats-server", { args: ["--version"] }).outputSync();
    return true;
  } catch {
    return false;
  }
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Waits for a line of `stream` that `ready` accepts, then drains the rest. */
async function readyLine(
  stream: ReadableStream<Uint8Array>,
  ready: (line: string) => boolean,
  what: string,
): Promise<void> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.split("\n").some(ready)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${what} ended before it was ready:\n${seen}`);
    seen += value;
  }
  reader.read().then(function drain(result): unknown {
    return result.done ? undefined : reader.read().then(drain);
  }).catch(() => {});
}

/** Runs a server and the pong process, then plays ping against it. */
export async function main(): Promise<void> {
  if (!hasNatsServer()) {
    console.log(
      "nats-server is not on PATH: install it (Debian, Ubuntu: apt-get install nats-server; macOS: brew install nats-server; or a release from the NATS project) and run this again",
    );
    return;
  }
  const store = await Deno.makeTempDir({ prefix: "remote_actors_" });
  const port = freePort();
  const servers = `127.0.0.1:${port}`;
  const server = new Deno.Command("nats-server", {
    args: ["-js", "-sd", store, "-a", "127.0.0.1", "-p", String(port)],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let pongProcess: Deno.ChildProcess | undefined;
  try {
    await readyLine(
      server.stderr,
      (l) => l.includes("Server is ready"),
      "nats-server",
    );
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
    server.kill("SIGTERM");
    await server.status;
    await Deno.remove(store, { recursive: true });
  }
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--pong");
  const servers = Deno.args.indexOf("--servers");
  if (at >= 0) await servePong(Deno.args[at + 1]);
  else if (servers >= 0) await playPing(Deno.args[servers + 1]);
  else await main();
}
