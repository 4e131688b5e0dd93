// Copyright 2026 the @frontier/generators authors. MIT license.
// Actors across processes on NATS, against a real nats-server (started by
// each test on a free port, with a temporary store) and real peer processes
// (`deno run tests/_nats_actors_peer.ts`).

import assert from "node:assert/strict";
import { connect } from "npm:@nats-io/transport-node@3.4.0";
import { jetstreamManager } from "npm:@nats-io/jetstream@3.4.0";
import { type ActorGenerator, ActorSystem, reply } from "../actor.ts";
import { TimeoutError } from "../future.ts";
import { connectActors, type RemoteActors } from "../nats_actors.ts";
import { encode } from "../_nats/wire.ts";
import { clusterNames, keyName, nameKey } from "../_nats/actor_names.ts";
import { Directory } from "../_nats/actor_directory.ts";
import { ensureBucket } from "../_nats/actor_registry.ts";
import fc from "fast-check";
import { hasNatsServer, NatsServer, TcpProxy, until } from "./_nats_server.ts";

const ignore = !hasNatsServer();
const root = new URL("../", import.meta.url);
const CLUSTER = "test";
/** A short age limit of names, so that a dead process's names free soon. */
const TTL = 1000;

/** A peer process serving the actors `actors` (see the script). */
class Peer {
  readonly #child: Deno.ChildProcess;
  readonly #stderr: Promise<string>;
  processId = "";

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#stderr = new Response(child.stderr).text();
  }

  static async start(server: NatsServer, actors: string[]): Promise<Peer> {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "tests/_nats_actors_peer.ts",
        server.servers,
        CLUSTER,
        String(TTL),
        ...actors,
      ],
      cwd: root.pathname,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const peer = new Peer(child);
    const reader = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    let seen = "";
    while (!seen.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) {
        throw new Error(`the peer exited before it was ready: ${await peer
          .#stderr}`);
      }
      seen += value;
    }
    peer.processId = /ready (\S+)/.exec(seen)![1];
    reader.releaseLock();
    child.stdout.pipeTo(new WritableStream()).catch(() => {});
    return peer;
  }

  /** Sends `signal`, waits for the end; returns its stderr. */
  async kill(signal: Deno.Signal = "SIGTERM"): Promise<string> {
    try {
      this.#child.kill(signal);
    } catch {
      // Already ended.
    }
    await this.#child.status;
    return await this.#stderr;
  }
}

/** The error a future or promise fails with. */
async function failure(
  future: PromiseLike<unknown>,
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  try {
    await future;
  } catch (error) {
    return error;
  }
  assert.fail("expected a failure");
}

// The server and the connection of a system connected by withPeer.
const servers = new WeakMap<ActorSystem, NatsServer>();
const remotes = new WeakMap<ActorSystem, RemoteActors>();

function connectedTo(system: ActorSystem): RemoteActors {
  return remotes.get(system)!;
}

/** A server, a peer serving `actors`, and a connected system here. */
async function withPeer(
  actors: string[],
  body: (
    system: ActorSystem,
    peer: Peer,
    server: NatsServer,
  ) => Promise<void>,
): Promise<void> {
  await using server = await NatsServer.start();
  const peer = await Peer.start(server, actors);
  try {
    await using system = new ActorSystem();
    await using remote = await connectActors(system, {
      servers: server.servers,
      cluster: CLUSTER,
      nameTtl: TTL,
    });
    servers.set(system, server);
    remotes.set(system, remote);
    for (const name of actors) await remote.waitFor(name, { timeout: 30_000 });
    await body(system, peer, server);
  } finally {
    await peer.kill();
  }
}

Deno.test({
  name:
    "nats actors: send, ask and reply reach an actor of another process, with structured-clone values",
  ignore,
  fn: () =>
    withPeer(["echo"], async (system) => {
      const value = {
        map: new Map<unknown, unknown>([[1, new Date(5)], [
          "k",
          new Set([2n]),
        ]]),
        bytes: new Uint8Array([1, 2, 3]),
        error: new RangeError("inside", { cause: 7 }),
      };
      const back = await system.ask<typeof value>("echo", value);
      assert.deepEqual(back, value);
      assert.ok(back.error instanceof RangeError);
      // A send is not answered: an ask after it comes back after it.
      system.send("echo", "one way");
      assert.equal(await system.ask("echo", "after"), "after");
    }),
});

Deno.test({
  name:
    "nats actors: an error thrown by a remote actor fails the question with name, message, stack and cause",
  ignore,
  fn: () =>
    withPeer(["thrower"], async (system) => {
      const error = await failure(system.ask("thrower", 1));
      assert.equal(error.name, "ActorError");
      assert.match(error.message, /failed while handling it/);
      assert.ok(error.cause instanceof TypeError);
      assert.equal(error.cause.message, "thrown in the peer");
      assert.deepEqual(error.cause.cause, new Map([[1, 2]]));
      assert.match(error.cause.stack, /thrower/);
    }),
});

Deno.test({
  name:
    "nats actors: a million messages between two processes arrive, none lost or reordered",
  ignore,
  fn: () =>
    withPeer(["sink"], async (system) => {
      const count = 1_000_000;
      for (let i = 0; i < count; i++) system.send("sink", ["here", i]);
      // In order after every send: answered once they are all handled.
      assert.deepEqual(await system.ask("sink", "count?"), {
        count,
        disorder: 0,
      });
    }),
});

Deno.test({
  name:
    "nats actors: a question to a process killed with SIGKILL fails fast with an error that says so",
  ignore,
  fn: () =>
    withPeer(["stall", "echo"], async (system, peer) => {
      // Bounded, so the test cannot hang: it must fail long before this.
      const question = system.ask("stall", "anyone?", { timeout: 60_000 });
      // Wait until it is handled: the peer is busy from then on, and its
      // echo does not answer.
      system.send("echo", "sync");
      await new Promise((resolve) => setTimeout(resolve, 300));
      await peer.kill("SIGKILL");
      const error = await failure(question);
      assert.ok(!(error instanceof TimeoutError), String(error));
      assert.equal(error.name, "ActorError");
      assert.match(
        error.message,
        new RegExp(
          `Cannot get a reply from actor "stall": its process ${peer.processId} .* is gone; NATS has no responder for it`,
        ),
      );
    }),
});

Deno.test({
  name:
    "nats actors: a name held by a live process is refused, and freed within nameTtl after its process died",
  ignore,
  fn: () =>
    withPeer(["echo"], async (system, peer) => {
      const other = new ActorSystem();
      await using remote = await connectActors(other, {
        servers: (await serverOf(system)).servers,
        cluster: CLUSTER,
        nameTtl: TTL,
      });
      function* echo(): ActorGenerator<unknown> {
        while (true) reply(yield);
      }
      // Known here: refused at once, by spawn() too.
      assert.throws(() => other.spawn("echo", echo), {
        name: "ActorError",
        message: new RegExp(
          `already running in process ${peer.processId} \\(pid \\d+ on`,
        ),
      });
      await assert.rejects(remote.spawn("echo", echo), {
        name: "ActorError",
      });
      await peer.kill("SIGKILL");
      // No one freed it: the bucket's age limit does (the wait is bounded by
      // until()).
      await until(
        () =>
          remote.spawn("echo", echo).then(() => true, (error) => {
            assert.match(error.message, /already running/);
            return false;
          }),
        "the name of the dead process to be free",
      );
      assert.equal(await other.ask("echo", "mine now"), "mine now");
    }),
});

function serverOf(system: ActorSystem): Promise<NatsServer> {
  return Promise.resolve(servers.get(system)!);
}

Deno.test({
  name:
    "nats actors: of two processes spawning one name at the same moment, exactly one gets it",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    const connectOne = async () => {
      const system = new ActorSystem();
      const remote = await connectActors(system, {
        servers: server.servers,
        cluster: CLUSTER,
        nameTtl: TTL,
      });
      return { system, remote };
    };
    const sides = [await connectOne(), await connectOne(), await connectOne()];
    try {
      const outcomes = await Promise.allSettled(
        sides.map(({ remote }) =>
          remote.spawn("unique", function* () {
            while (true) yield;
          })
        ),
      );
      const won = outcomes.filter((o) => o.status === "fulfilled");
      const lost = outcomes.filter((o) => o.status === "rejected");
      assert.equal(won.length, 1);
      for (const outcome of lost) {
        assert.match(
          String((outcome as PromiseRejectedResult).reason),
          /ActorError: Cannot spawn actor "unique": an actor of that name is already running in process/,
        );
      }
    } finally {
      for (const { system, remote } of sides) {
        await remote.close();
        await system.stop();
      }
    }
  },
});

Deno.test({
  name:
    "nats actors: a name nobody serves throws as locally, and a message to a process gone is a dead letter",
  ignore,
  fn: () =>
    withPeer(["echo"], async (system, peer) => {
      assert.throws(() => system.send("nobody", 1), {
        name: "ActorError",
        message:
          /no actor named "nobody" was ever started in this system or, as far as it knows, in NATS cluster "test"/,
      });
      assert.throws(() => system.ask("nobody", 1), { name: "ActorError" });
      await peer.kill("SIGKILL");
      // Still in the directory (its entry has not expired): sent, and the
      // server says nobody serves it.
      system.send("echo", "lost?");
      await until(
        () => system.deadLetters.length === 1,
        "the message to be a dead letter",
      );
      assert.deepEqual(system.deadLetters, [{
        name: "echo",
        message: "lost?",
      }]);
    }),
});

Deno.test({
  name:
    "nats actors: hostile bytes on an actor's subject are dead letters, never a crash",
  ignore,
  fn: () =>
    withPeer(["echo"], async (system, _peer, server) => {
      const seen: unknown[] = [];
      system.spawn("local", function* (): ActorGenerator<unknown> {
        while (true) {
          const message = yield;
          seen.push(message);
          reply(message);
        }
      });
      const raw = await connect({ servers: server.servers });
      try {
        const hostile = [
          crypto.getRandomValues(new Uint8Array(64)),
          new Uint8Array(0),
          encode({ not: "a batch" }),
          encode([99, "unknown operation"]),
          encode([2, "not an id", "ask"]),
          encode([1]),
          // A batch that starts well: nothing of it is delivered.
          encode([1, "delivered?", 99, "unknown operation"]),
        ];
        for (const subject of ["local", "echo"]) {
          for (const bytes of hostile) {
            raw.publish(`frontier.actors.${CLUSTER}.actor.${subject}`, bytes, {
              reply: "nowhere.1",
            });
          }
        }
        await raw.flush();
      } finally {
        await raw.close();
      }
      await until(
        () => system.deadLetters.length === 7,
        "the hostile batches to be dead letters",
      );
      for (const letter of system.deadLetters) {
        assert.equal(letter.name, "local");
        assert.ok(letter.message instanceof Uint8Array);
      }
      assert.deepEqual(seen, []);
      // Both processes still serve.
      assert.equal(await system.ask("echo", "still there?"), "still there?");
      assert.equal(await system.ask("local", "and here?"), "and here?");
    }),
});

Deno.test({
  name:
    "nats actors: a restart policy applies in the process that owns the actor, which keeps its name",
  ignore,
  fn: () =>
    withPeer(["fragile"], async (system) => {
      assert.equal(await system.ask("fragile", "which?"), 1);
      system.send("fragile", "boom");
      assert.equal(await system.ask("fragile", "which?"), 2);
      // A question it fails on fails for the asker, and it restarts again.
      const error = await failure(system.ask("fragile", "boom"));
      assert.equal(error.name, "ActorError");
      assert.match(error.message, /failed while handling it/);
      assert.equal(await system.ask("fragile", "which?"), 3);
    }),
});

Deno.test({
  name: "nats actors: messages between two local actors never reach NATS",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    await using system = new ActorSystem();
    await using remote = await connectActors(system, {
      servers: server.servers,
      cluster: CLUSTER,
      nameTtl: TTL,
    });
    let last = 0;
    system.spawn("ping", function* (): ActorGenerator<number> {
      while (true) {
        const n = yield;
        last = n;
        if (n < 1000) system.send("pong", n + 1);
      }
    });
    system.spawn("pong", function* (): ActorGenerator<number> {
      while (true) system.send("ping", (yield) + 1);
    });
    system.send("ping", 0);
    await until(() => last === 1000, "the game to end");
    const stats = remote.stats();
    assert.equal(stats.sent, 0);
    assert.equal(stats.received, 0);
    assert.equal(stats.served, 2);
  },
});

Deno.test({
  name:
    "nats actors: examples/remote_actors.ts plays ping-pong across two processes and prints the round trip",
  ignore,
  async fn() {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "examples/remote_actors.ts"],
      cwd: root.pathname,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(stdout);
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    const lines = text.split("\n");
    const game = lines.filter((line) => /^p[io]ng \d/.test(line));
    assert.deepEqual(
      game.map((line) => line.split(" ").slice(0, 2).join(" ")),
      Array.from({ length: 10 }, (_, n) => `${n % 2 ? "pong" : "ping"} ${n}`),
    );
    // Two processes: ping's and pong's lines name different ones.
    const pids = new Set(game.map((line) => /process (\d+)/.exec(line)![1]));
    assert.equal(pids.size, 2);
    assert.match(text, /\nround trip: \d+\.\d{3} ms \(ping -> pong -> ping/);
  },
});

/** Two systems of this process, each on a connection of its own. */
async function withTwo(
  body: (
    a: { system: ActorSystem; remote: RemoteActors },
    b: { system: ActorSystem; remote: RemoteActors },
    server: NatsServer,
  ) => Promise<void>,
): Promise<void> {
  await using server = await NatsServer.start();
  const sides = [];
  try {
    for (let i = 0; i < 2; i++) {
      const system = new ActorSystem();
      sides.push({
        system,
        remote: await connectActors(system, {
          servers: server.servers,
          cluster: CLUSTER,
          nameTtl: TTL,
        }),
      });
    }
    await body(sides[0], sides[1], server);
  } finally {
    for (const { system, remote } of sides) {
      await remote.close();
      await system.stop();
    }
  }
}

function* echo(): ActorGenerator<unknown> {
  while (true) reply(yield);
}

Deno.test({
  name:
    "nats actors: stopping an actor or closing the connection frees its name without waiting for the age limit",
  ignore,
  fn: () =>
    withTwo(async (a, b) => {
      const ref = await a.remote.spawn("first", echo);
      await b.remote.waitFor("first", { timeout: 30_000 });
      await assert.rejects(b.remote.spawn("first", echo), {
        name: "ActorError",
      });
      await ref.stop();
      // Freed by a delete marker as it stops, not by the age limit.
      await until(
        () => b.remote.spawn("first", echo).then(() => true, () => false),
        "the name to be free",
      );
      await a.remote.waitFor("first", { timeout: 30_000 });
      assert.equal(await a.system.ask("first", "from a"), "from a");

      await b.remote.spawn("second", echo);
      await a.remote.waitFor("second", { timeout: 30_000 });
      // An actor that returns as it starts holds no name.
      const brief = await a.remote.spawn("brief", function* () {});
      assert.equal(brief.stopped, true);
      await until(
        () => b.remote.spawn("brief", echo).then(() => true, () => false),
        "the name of an actor that returned to be free",
      );

      await b.remote.close();
      // close() has freed its names: no wait.
      await a.remote.spawn("second", echo);
      assert.equal(b.system.has("second"), true, "still running locally");
    }),
});

Deno.test({
  name:
    "nats actors: connecting a system whose actor's name is held elsewhere fails, and leaves that actor running",
  ignore,
  fn: () =>
    withTwo(async (a, _b, server) => {
      await a.remote.spawn("taken", echo);
      const system = new ActorSystem();
      system.spawn("taken", echo);
      await assert.rejects(
        connectActors(system, {
          servers: server.servers,
          cluster: CLUSTER,
          nameTtl: TTL,
        }),
        {
          name: "ActorError",
          message: new RegExp(
            `Cannot spawn actor "taken": an actor of that name is already running in process ${a.remote.processId}`,
          ),
        },
      );
      assert.equal(system.has("taken"), true);
      await system.stop();
    }),
});

Deno.test({
  name:
    "nats actors: a question to another process fails with its TimeoutError, and an answer after it is ignored",
  ignore,
  fn: () =>
    withTwo(async (a, b) => {
      let hold: (() => void) | undefined;
      await a.remote.spawn("late", function* (): ActorGenerator<unknown> {
        while (true) {
          yield;
          // Keeps the process busy past the question's timeout.
          const until = Date.now() + 200;
          while (Date.now() < until) hold?.();
          reply("too late");
        }
      });
      await b.remote.waitFor("late", { timeout: 30_000 });
      const error = await failure(b.system.ask("late", 1, { timeout: 50 }));
      assert.ok(error instanceof TimeoutError);
      assert.equal(await b.system.ask("late", 2), "too late");
    }),
});

Deno.test({
  name:
    "nats actors: a Worker actor is reached from another process, and reaches actors of other processes",
  ignore,
  fn: () =>
    withTwo(async (a, b) => {
      const balls: number[] = [];
      const got = Promise.withResolvers<void>();
      await b.remote.spawn("ping", function* (): ActorGenerator<number> {
        while (true) {
          balls.push(yield);
          got.resolve();
        }
      });
      a.system.spawnWorker("pong", {
        module: new URL("../examples/actors.ts", import.meta.url),
        export: "pong",
      });
      await a.remote.spawnWorker("worker-echo", {
        module: new URL("../examples/actors.ts", import.meta.url),
        export: "echo",
      });
      await b.remote.waitFor("pong", { timeout: 30_000 });
      await b.remote.waitFor("worker-echo", { timeout: 30_000 });
      assert.equal(await b.system.ask("worker-echo", 7n), 7n);
      // pong (in a's Worker) answers with send("ping", n + 1): ping is b's.
      b.system.send("pong", 41);
      await got.promise;
      assert.deepEqual(balls, [42]);
    }),
});

Deno.test({
  name:
    "nats actors: closing the connection fails the questions still waiting for other processes",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    const peer = await Peer.start(server, ["stall"]);
    try {
      await using system = new ActorSystem();
      const remote = await connectActors(system, {
        servers: server.servers,
        cluster: CLUSTER,
        nameTtl: TTL,
      });
      await remote.waitFor("stall", { timeout: 30_000 });
      const waiting = failure(system.ask("stall", "anyone?"));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await remote.close();
      const error = await waiting;
      assert.equal(error.name, "ActorError");
      assert.match(
        error.message,
        /Cannot get a reply from actor "stall": this system was disconnected from NATS cluster "test" before it came/,
      );
      assert.throws(() => system.send("stall", 1), { name: "ActorError" });
    } finally {
      await peer.kill("SIGKILL");
    }
  },
});

Deno.test({
  name:
    "nats actors: what cannot cross fails clearly: a message structured clone refuses, one larger than max_payload",
  ignore,
  fn: () =>
    withTwo(async (a, b) => {
      await a.remote.spawn("echo", echo);
      await b.remote.waitFor("echo", { timeout: 30_000 });
      let error = await failure(b.system.ask("echo", () => "a function"));
      assert.ok(error instanceof TypeError);
      assert.match(
        error.message,
        /Cannot send .* to actor "echo" of another process: structured clone refused it/,
      );
      error = await failure(b.system.ask("echo", new Uint8Array(2 << 20)));
      assert.ok(error instanceof RangeError);
      assert.match(
        error.message,
        /Cannot send a message of 2\.0 MiB to actor "echo" of another process: it is larger than the server's max_payload of 1\.0 MiB/,
      );
      // Many small ones that together pass the limit still go, in batches
      // that fit.
      const many = [];
      for (let i = 0; i < 3000; i++) {
        many.push(b.system.ask("echo", new Uint8Array(1000).fill(i % 256)));
      }
      const back = await Promise.all(many);
      assert.equal(back.length, 3000);
      assert.equal((back[2999] as Uint8Array)[0], 2999 % 256);
    }),
});

Deno.test({
  name:
    "nats actors: names of any characters cross (as base64url keys), and the same actor answers",
  ignore,
  fn: () =>
    withTwo(async (a, b) => {
      for (const name of ["worker 1", "a.b.c", "é/ü>*", "x".repeat(200)]) {
        await a.remote.spawn(name, echo);
        await b.remote.waitFor(name, { timeout: 30_000 });
        assert.equal(await b.system.ask(name, name), name);
      }
      await assert.rejects(a.remote.spawn("y".repeat(2000), echo), {
        name: "ActorError",
        message: /its name is longer than 1024 bytes/,
      });
    }),
});

Deno.test({
  name:
    "nats actors: a connection given by the program and closed by it disconnects the system",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    const nc = await connect({ servers: server.servers });
    await using system = new ActorSystem();
    const remote = await connectActors(system, {
      connection: nc,
      cluster: CLUSTER,
      nameTtl: TTL,
    });
    await remote.spawn("mine", echo);
    await nc.close();
    await remote.close();
    // Local again: the actor answers here, and other names are unknown.
    assert.equal(await system.ask("mine", 1), 1);
    assert.throws(() => system.send("elsewhere", 1), { name: "ActorError" });
  },
});

Deno.test("nats actors: every actor name has one key, and the key gives the name back", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 }),
      (name) => {
        const key = nameKey(name);
        assert.ok(key !== undefined);
        assert.match(key, /^=?[A-Za-z0-9_-]+$/);
        assert.equal(keyName(key), name);
      },
    ),
  );
  assert.equal(nameKey("pong"), "pong");
  assert.equal(nameKey("a.b"), "=YS5i");
  assert.equal(nameKey("x".repeat(1025)), undefined);
  // Keys nobody made are not names.
  for (const key of ["=", "=!!", "a.b", "=YS5", ""]) {
    assert.equal(keyName(key), undefined, key);
  }
});

Deno.test({
  name:
    "nats actors: a long synchronous stretch of work does not make a live actor of another process unknown",
  ignore,
  fn: () =>
    withTwo(async (a, b) => {
      await a.remote.spawn("echo", echo);
      await b.remote.waitFor("echo", { timeout: 30_000 });
      // Longer than the name's age limit, with no chance to read its renewals
      // (as a burst of a million sends on a loaded machine).
      const until = Date.now() + 2 * TTL;
      while (Date.now() < until) {
        // Busy.
      }
      b.system.send("echo", "still known");
      assert.equal(await b.system.ask("echo", "answered"), "answered");
    }),
});

Deno.test({
  name:
    "nats actors: waitFor ends with its timeout, or when the connection closes",
  ignore,
  fn: () =>
    withTwo(async (a) => {
      await assert.rejects(a.remote.waitFor("nobody", { timeout: 50 }), {
        name: "ActorError",
        message:
          /Cannot find actor "nobody": no process of NATS cluster "test" started it within 50 ms/,
      });
      const waiting = assert.rejects(a.remote.waitFor("nobody"), {
        name: "ActorError",
        message: /disconnected from NATS cluster "test" while waiting for it/,
      });
      await a.remote.close();
      await waiting;
    }),
});

Deno.test({
  name:
    "nats actors: while NATS is down, messages to other processes are dead letters and questions fail at once; then they flow again",
  ignore,
  fn: () =>
    withTwo(async (a, b, server) => {
      await a.remote.spawn("echo", echo);
      await b.remote.waitFor("echo", { timeout: 30_000 });
      await server.stop();
      b.system.send("echo", "while down");
      const error = await failure(b.system.ask("echo", "down?"));
      assert.equal(error.name, "ActorError");
      assert.match(
        error.message,
        // As the client notices the drop before, while or after it sends,
        // or as the server, shutting down, closes the other side first.
        /Cannot get a reply to "down\?" .* from actor "echo": (the connection to NATS is down; the message is in deadLetters|the connection to NATS dropped before it was known to arrive \(it may have\); the message is in deadLetters|the connection to NATS dropped while it waited for the reply|no process serves it any more \(it stopped, or its process died\); the message is in deadLetters)$/,
      );
      await until(
        () => b.system.deadLetters.some((l) => l.message === "while down"),
        "the message sent while down to be a dead letter",
      );
      await server.restart();
      await until(async () => {
        try {
          return await b.system.ask("echo", "back?", { timeout: 2_000 }) ===
            "back?";
        } catch {
          // Not known again yet (a "no responders" made b forget it).
          return false;
        }
      }, "messages to flow again");
    }),
});

Deno.test({
  name:
    "nats actors: a question waiting when the connection to NATS drops fails with an error that says so",
  ignore,
  fn: () =>
    withPeer(["stall"], async (system, peer, server) => {
      const waiting = failure(
        system.ask("stall", "anyone?", { timeout: 60_000 }),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await server.stop();
      const error = await waiting;
      assert.equal(error.name, "ActorError");
      assert.match(
        error.message,
        /Cannot get a reply to "anyone\?" .* from actor "stall": the connection to NATS dropped while it waited for the reply/,
      );
      await peer.kill("SIGKILL");
      await server.restart();
    }),
});

Deno.test({
  name:
    "nats actors: stopping an actor while its name is being renewed still frees the name at once",
  ignore,
  fn: () =>
    withTwo(async (a, b, server) => {
      const ref = await a.remote.spawn("renewed", echo);
      await b.remote.waitFor("renewed", { timeout: 30_000 });
      // The server stops answering: the next renewal waits for it, and the
      // release of the name goes out after it.
      Deno.kill(server.pid!, "SIGSTOP");
      try {
        await new Promise((resolve) => setTimeout(resolve, TTL / 3 + 200));
        await ref.stop();
      } finally {
        Deno.kill(server.pid!, "SIGCONT");
      }
      // close() waits for the release.
      await a.remote.close();
      await b.remote.spawn("renewed", echo);
      assert.equal(await b.system.ask("renewed", "mine"), "mine");
    }),
});

Deno.test({
  name:
    "nats actors: a name too long to cross is refused by system.spawn and spawnWorker before anything starts",
  ignore,
  fn: () =>
    withTwo((a) => {
      const long = "z".repeat(2000);
      let made = 0;
      assert.throws(
        () =>
          a.system.spawn(long, function* () {
            made++;
            while (true) yield;
          }),
        { name: "ActorError", message: /its name is longer than 1024 bytes/ },
      );
      assert.equal(made, 0);
      assert.equal(a.system.has(long), false);
      // No Worker is started (the sanitizer would see it).
      assert.throws(
        () =>
          a.system.spawnWorker(long, {
            module: new URL("../examples/actors.ts", import.meta.url),
            export: "echo",
          }),
        { name: "ActorError", message: /its name is longer than 1024 bytes/ },
      );
      assert.equal(a.system.has(long), false);
      return Promise.resolve();
    }),
});

Deno.test({
  name:
    "nats actors: system.spawn of a name whose remote.spawn is claiming it keeps the name held for the actor that runs",
  ignore,
  fn: () =>
    withTwo(async (a, b) => {
      const claiming = a.remote.spawn("raced", echo);
      a.system.spawn("raced", function* (): ActorGenerator<unknown> {
        while (true) {
          yield;
          reply("the one that runs");
        }
      });
      await assert.rejects(claiming, {
        name: "ActorError",
        message: /an actor named "raced" is already running/,
      });
      await b.remote.waitFor("raced", { timeout: 30_000 });
      assert.equal(
        await b.system.ask("raced", 1, { timeout: 30_000 }),
        "the one that runs",
      );
      await assert.rejects(b.remote.spawn("raced", echo), {
        name: "ActorError",
        message: /already running in process/,
      });
    }),
});

Deno.test({
  name:
    "nats actors: an answer sent as its process's connection dropped reaches the asker once it is back",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    const proxy = TcpProxy.start(server.port);
    const asker = new ActorSystem();
    const answerer = new ActorSystem();
    // Probes seldom, so that only the answer can end the question.
    const a = await connectActors(asker, {
      servers: server.servers,
      cluster: CLUSTER,
      nameTtl: TTL,
      probeInterval: 60_000,
    });
    const b = await connectActors(answerer, {
      servers: proxy.servers,
      cluster: CLUSTER,
      nameTtl: TTL,
    });
    try {
      const handling = Promise.withResolvers<void>();
      await b.spawn("slow", function* (): ActorGenerator<unknown> {
        while (true) {
          const message = yield;
          handling.resolve();
          // Busy while the connection is cut: the answer goes out on it.
          const until = Date.now() + 300;
          while (Date.now() < until) {
            // Busy.
          }
          reply(message);
        }
      });
      await a.waitFor("slow", { timeout: 30_000 });
      // Bounded, so the test cannot hang.
      const question = asker.ask("slow", "there?", { timeout: 20_000 });
      await handling.promise;
      // This runs before the answer, written by the handler, is published:
      // the answer goes out on a connection that is cut.
      await proxy.blip();
      assert.equal(await question, "there?");
    } finally {
      await a.close();
      await b.close();
      await proxy.cut();
      await asker.stop();
      await answerer.stop();
    }
  },
});

Deno.test({
  name:
    "nats actors: batches sent while a check of earlier ones is on its way are reported too when the connection drops",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    const proxy = TcpProxy.start(server.port);
    const sender = new ActorSystem();
    const receiver = new ActorSystem();
    const a = await connectActors(sender, {
      servers: proxy.servers,
      cluster: CLUSTER,
      nameTtl: TTL,
    });
    const b = await connectActors(receiver, {
      servers: server.servers,
      cluster: CLUSTER,
      nameTtl: TTL,
    });
    try {
      const received: unknown[] = [];
      await b.spawn("inbox", function* (): ActorGenerator<unknown> {
        while (true) received.push(yield);
      });
      await a.waitFor("inbox", { timeout: 30_000 });
      sender.send("inbox", 1);
      // Published, with a PING after it: its check is on its way.
      await null;
      sender.send("inbox", 2);
      // Published while that check waits for the server.
      await null;
      // Before the server could read any of it.
      await proxy.blip();
      const accounted = (message: number) =>
        received.includes(message) ||
        sender.deadLetters.some((letter) => letter.message === message);
      // Bounded (10 s): each message arrives or is a dead letter.
      for (let i = 0; i < 500 && !(accounted(1) && accounted(2)); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(accounted(1), "message 1 was lost without a report");
      assert.ok(accounted(2), "message 2 was lost without a report");
    } finally {
      await a.close();
      await b.close();
      await proxy.cut();
      await sender.stop();
      await receiver.stop();
    }
  },
});

Deno.test({
  name:
    "nats actors: a failure too large to cross still fails the question of another process",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    const reported: unknown[] = [];
    const answerer = new ActorSystem({
      onError: (error) => reported.push(error),
    });
    const asker = new ActorSystem();
    const options = { servers: server.servers, cluster: CLUSTER, nameTtl: TTL };
    const a = await connectActors(answerer, options);
    const b = await connectActors(asker, options);
    try {
      await a.spawn("verbose", function* (): ActorGenerator<unknown> {
        while (true) {
          yield;
          throw new RangeError("x".repeat(2 << 20));
        }
      });
      await b.waitFor("verbose", { timeout: 30_000 });
      // Bounded, so the test cannot hang.
      const error = await failure(
        asker.ask("verbose", "why?", { timeout: 20_000 }),
      );
      assert.ok(!(error instanceof TimeoutError), String(error).slice(0, 200));
      assert.equal(error.name, "ActorError");
      assert.match(
        error.message,
        /^Cannot send the failure of a question back to the process that asked: Cannot send an answer of \d+\.\d MiB to the process that asked: it is larger than the server's max_payload of 1\.0 MiB/,
      );
      // The actor's failure is reported where it ran, as locally.
      assert.equal(reported.length, 1);
    } finally {
      await a.close();
      await b.close();
      await answerer.stop();
      await asker.stop();
    }
  },
});

Deno.test({
  name:
    "nats actors: closing the connection while remote.spawn claims a name rejects it, and starts nothing",
  ignore,
  fn: () =>
    withTwo(async (a) => {
      let made = 0;
      const claiming = a.remote.spawn("late-start", function* () {
        made++;
        while (true) yield;
      });
      const rejected = assert.rejects(claiming, {
        name: "ActorError",
        message:
          /^Cannot spawn an actor: this system was disconnected from NATS cluster "test"; connect it again with connectActors\(\)$/,
      });
      await a.remote.close();
      await rejected;
      assert.equal(made, 0);
      assert.equal(a.system.has("late-start"), false);
    }),
});

Deno.test({
  name:
    "nats actors: a bucket of names made without an age limit is refused, since a dead process's names would never be freed",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    const nc = await connect({ servers: server.servers });
    try {
      const jsm = await jetstreamManager(nc);
      // As `nats kv add frontier-actors-test` makes it: no max_age.
      await jsm.streams.add({
        name: `KV_frontier-actors-${CLUSTER}`,
        subjects: [`$KV.frontier-actors-${CLUSTER}.>`],
        max_msgs_per_subject: 1,
        allow_rollup_hdrs: true,
        deny_delete: true,
        allow_direct: true,
      });
    } finally {
      await nc.close();
    }
    const system = new ActorSystem();
    await assert.rejects(
      connectActors(system, {
        servers: server.servers,
        cluster: CLUSTER,
        nameTtl: TTL,
      }),
      {
        name: "ActorError",
        message:
          /^Cannot connect an actor system to NATS: the bucket of names "frontier-actors-test" has no age limit \(max_age\), so the names of a process that died would never be freed; delete the bucket \(connectActors makes it again\), or give it a max_age of at least 500 ms$/,
      },
    );
  },
});

Deno.test({
  name:
    "nats actors: a question lost as its actor's process lost its connection and came back fails instead of waiting for ever",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    const proxy = TcpProxy.start(server.port);
    const asker = new ActorSystem();
    const answerer = new ActorSystem();
    // Seldom enough that no probe lands while the answerer is away.
    const a = await connectActors(asker, {
      servers: server.servers,
      cluster: CLUSTER,
      nameTtl: TTL,
      probeInterval: 5_000,
    });
    const b = await connectActors(answerer, {
      servers: proxy.servers,
      cluster: CLUSTER,
      nameTtl: TTL,
    });
    try {
      await b.spawn("echo", echo);
      await a.waitFor("echo", { timeout: 30_000 });
      assert.equal(await asker.ask("echo", "warm"), "warm");
      // The server delivers the question into a connection that drops.
      proxy.dropping = true;
      // Bounded, so the test cannot hang.
      const question = failure(
        asker.ask("echo", "lost?", { timeout: 20_000 }),
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await proxy.blip();
      proxy.dropping = false;
      const error = await question;
      assert.ok(!(error instanceof TimeoutError), String(error));
      assert.equal(error.name, "ActorError");
      assert.match(
        error.message,
        new RegExp(
          `^Cannot get a reply from actor "echo": its process ${b.processId} .* lost its connection to NATS and came back while the question waited, and the question or its answer may have been lost with it; ask again if that is safe$`,
        ),
      );
      // And it is reached again.
      assert.equal(await asker.ask("echo", "back"), "back");
    } finally {
      await a.close();
      await b.close();
      await proxy.cut();
      await asker.stop();
      await answerer.stop();
    }
  },
});

Deno.test({
  name:
    "nats actors: a question heard by a process that loses the claim of its actor's name is answered by the actor that holds it",
  ignore,
  fn: () =>
    withPeer(["slow"], async (system) => {
      const remote = connectedTo(system);
      // This process subscribes to the name's subject, then claims it, and
      // loses; its own question goes out between the two, and both
      // processes hear it. The peer's actor answers after the claim failed.
      const claiming = remote.spawn("slow", echo);
      const question = system.ask("slow", "who answers?", { timeout: 20_000 });
      await assert.rejects(claiming, { name: "ActorError" });
      assert.equal(await question, "who answers?");
      // What this process heard meanwhile is in its dead letters, as
      // documented.
      assert.deepEqual(system.deadLetters, [{
        name: "slow",
        message: "who answers?",
      }]);
    }),
});

Deno.test({
  name:
    "nats actors: a question asked after its actor's process came back is not failed for the reconnection before it",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    const proxy = TcpProxy.start(server.port);
    // The peer reaches the server through the proxy.
    const peer = await Peer.start({ servers: proxy.servers } as NatsServer, [
      "sink",
    ]);
    const system = new ActorSystem();
    const remote = await connectActors(system, {
      servers: server.servers,
      cluster: CLUSTER,
      nameTtl: TTL,
      probeInterval: 10,
    });
    const raw = await connect({ servers: server.servers });
    try {
      await remote.waitFor("sink", { timeout: 30_000 });
      // The peer's epoch is heard.
      assert.deepEqual(await system.ask("sink", "count?"), {
        count: 0,
        disorder: 0,
      });
      await proxy.blip();
      // Back, with a new epoch.
      await until(
        () =>
          raw.request(`frontier.actors.${CLUSTER}.process.${peer.processId}`)
            .then((msg) => msg.string() === "1", () => false),
        "the peer to reconnect",
      );
      // A question that waits behind many messages, while the peer answers
      // probes between its batches.
      const count = 500_000;
      for (let i = 0; i < count; i++) system.send("sink", ["here", i]);
      assert.deepEqual(
        await system.ask("sink", "count?", { timeout: 20_000 }),
        { count, disorder: 0 },
      );
    } finally {
      await raw.close();
      await remote.close();
      await system.stop();
      await peer.kill();
      await proxy.cut();
    }
  },
});

Deno.test({
  name:
    "nats actors: names that expire between the first look at the bucket and its reader's start do not keep the reader waiting",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    const nc = await connect({ servers: server.servers });
    const directory = new Directory(500);
    try {
      const jsm = await jetstreamManager(nc);
      const names = clusterNames("expiring", "test");
      await ensureBucket(jsm, names, 500);
      await jsm.jetstream().publish(names.key(nameKey("gone")!), "{}");
      // The first look sees the entry; it has expired by the time the
      // reader starts, so nothing is ever delivered to it.
      const late = {
        streams: {
          info: async (stream: string) => {
            const info = await jsm.streams.info(stream);
            await until(
              async () => (await jsm.streams.info(stream)).state.messages === 0,
              "the entry to expire",
            );
            return info;
          },
        },
        jetstream: () => jsm.jetstream(),
      } as unknown as typeof jsm;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const bound = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve("still waiting after 10 s"), 10_000);
      });
      const started = directory.start(late, names).then(() => "caught up");
      assert.equal(await Promise.race([started, bound]), "caught up");
      clearTimeout(timer);
      assert.deepEqual([...directory.entries()], []);
    } finally {
      await directory.close();
      await nc.close();
    }
  },
});

Deno.test({
  name:
    "nats actors: waitFor refuses a name that is not a non-empty string, saying what it got",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    await using system = new ActorSystem();
    await using remote = await connectActors(system, {
      servers: server.servers,
      cluster: CLUSTER,
      nameTtl: TTL,
    });
    for (
      const [name, got] of [[42, "42 (a number)"], ["", '"" (a string)'], [
        undefined,
        "undefined",
      ]]
    ) {
      assert.throws(
        () => remote.waitFor(name as string),
        {
          name: "TypeError",
          message:
            `Cannot wait for an actor: expected the actor's name as a non-empty string, got ${got}`,
        },
      );
    }
  },
});
