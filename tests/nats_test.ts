// Copyright 2026 the @frontier/generators authors. MIT license.
// The executor on NATS against a real nats-server (started by each test on a
// free port, with a temporary store) and real worker processes.

import assert from "node:assert/strict";
import { jetstreamManager } from "npm:@nats-io/jetstream@3.4.0";
import { connect, headers } from "npm:@nats-io/transport-node@3.4.0";
import { CancelledError, TimeoutError } from "../future.ts";
import { QueueFullError } from "../queue.ts";
import { JobLostError } from "../nats.ts";
import { NatsExecutor } from "../nats.ts";
import { type NatsWorker, serve, type ServeOptions } from "../nats_worker.ts";
import { decode, encode } from "../_nats/wire.ts";
import { getBlob, putBlob } from "../_nats/blobs.ts";
import { queueNames } from "../_nats/names.ts";
import { ensureStreams } from "../_nats/streams.ts";
import * as tasks from "./fixtures/nats_tasks.ts";
import {
  hasNatsServer,
  NatsServer,
  TcpProxy,
  until,
  WorkerProcess,
} from "./_nats_server.ts";

const ignore = !hasNatsServer();

Deno.test({
  name: "nats: submit and call run exports in a worker process",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    const worker = await WorkerProcess.start(server);
    try {
      await using pool = await NatsExecutor.connect({
        servers: server.servers,
        module: tasks,
      });
      assert.equal(await pool.submit(tasks.add, 2, 3), 5);
      assert.equal(await pool.call("fib", 20), 6765);
      assert.equal(await pool.call("countdown", 3), "liftoff");
    } finally {
      await worker.kill();
    }
  },
});

/** A server and an in-process worker (`serve()`), for one test. */
async function withWorker(
  body: (
    server: NatsServer,
    worker: NatsWorker,
    pool: NatsExecutor<typeof tasks>,
  ) => Promise<void>,
  options: Partial<ServeOptions> = {},
): Promise<void> {
  await using server = await NatsServer.start();
  await using worker = await serve({
    servers: server.servers,
    module: new URL("./fixtures/nats_tasks.ts", import.meta.url),
    concurrency: 4,
    maxWorkers: 2,
    ...options,
  });
  await using pool = await NatsExecutor.connect({
    servers: server.servers,
    module: tasks,
  });
  await body(server, worker, pool);
}

/** A temporary directory for marker files, removed at the end. */
async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "nats_test_" });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name: "nats: values cross with structured-clone semantics",
  ignore,
  fn: () =>
    withWorker(async (_server, _worker, pool) => {
      const value = {
        map: new Map<unknown, unknown>([[1, new Date(5)], [
          "k",
          new Set([2n]),
        ]]),
        big: 10n ** 30n,
        bytes: new Uint8Array([1, 2, 3]),
        floats: new Float64Array([1.5, -2]),
        view: new DataView(new ArrayBuffer(4)),
        nested: [{
          regexp: /a+/gi,
          nan: NaN,
          minusZero: -0,
          missing: undefined,
        }],
        error: new TypeError("inside", { cause: 7 }),
      };
      const back = await pool.call("echo", value);
      assert.deepEqual(back, value);
      assert.ok(back.bytes instanceof Uint8Array);
      assert.equal(back.bytes.buffer.byteLength, 3);
      assert.ok(back.error instanceof TypeError);
      assert.equal(back.error.cause, 7);
    }),
});

Deno.test({
  name: "nats: errors cross with name, message, stack and cause",
  ignore,
  fn: () =>
    withWorker(async (_server, _worker, pool) => {
      const error = await Promise.resolve(pool.call("fail", "no good")).then(
        () => assert.fail("expected a failure"),
        (error) => error,
      );
      assert.ok(error instanceof RangeError);
      assert.equal(error.message, "no good");
      assert.match(error.stack ?? "", /fail/);
      assert.ok(error.cause instanceof TypeError);
      assert.equal(error.cause.message, "the cause");
    }),
});

Deno.test({
  name:
    "nats: submit takes only exports of the module; call of a missing export fails clearly",
  ignore,
  fn: () =>
    withWorker(async (_server, worker, pool) => {
      assert.throws(
        () => pool.submit((x: number) => x + 1, 1),
        /is not an export of the executor's module.*call\(name\)/,
      );
      await assert.rejects(
        // @ts-expect-error: not an export
        Promise.resolve(pool.call("nothing", 1)),
        /Cannot run call\("nothing"\): the worker's module has no such export \(it exports .*add/,
      );
      assert.equal(await pool.submit(tasks.add, 1, 2), 3);
      assert.equal(worker.stats().failed, 1);
    }),
});

Deno.test({
  name: "nats: map keeps the order of its items",
  ignore,
  fn: () =>
    withWorker(async (_server, _worker, pool) => {
      const items = Array.from({ length: 50 }, (_, i) => i % 20);
      const results = await Array.fromAsync(
        pool.map(tasks.fib, items, { inFlight: 8 }),
      );
      assert.deepEqual(results, items.map(tasks.fib));
      const named = await Array.fromAsync(pool.map("fib", [10, 11]));
      assert.deepEqual(named, [55, 89]);
    }),
});

Deno.test({
  name: "nats: values larger than the server's max_payload travel in chunks",
  ignore,
  fn: () =>
    withWorker(async (_server, _worker, pool) => {
      const size = 3 * 1024 * 1024 + 17;
      const data = new Uint8Array(size).fill(3);
      assert.equal(await pool.submit(tasks.sum, data), size * 3);
      const back = await pool.call("bytes", size, 7);
      assert.equal(back.length, size);
      assert.equal(back[size - 1], 7);
    }),
});

Deno.test({
  name:
    "nats: a 64 MiB argument and result cross; past 64 MiB is a clear error",
  ignore,
  fn: () =>
    withWorker(async (_server, _worker, pool) => {
      const limit = 64 * 1024 * 1024;
      // The encoding adds a few bytes of framing to the bytes themselves.
      const size = limit - 64;
      assert.equal(
        await pool.submit(tasks.sum, new Uint8Array(size).fill(1)),
        size,
      );
      const back = await pool.call("bytes", size, 2);
      assert.equal(back.length, size);
      await assert.rejects(
        Promise.resolve(pool.submit(tasks.sum, new Uint8Array(limit + 1))),
        /argument 1 is 64\.0 MiB once encoded, more than the limit of 64\.0 MiB/,
      );
      await assert.rejects(
        Promise.resolve(pool.call("bytes", limit + 1, 0)),
        /Cannot send the result of call\("bytes"\): it is 64\.0 MiB once encoded, more than the limit/,
      );
    }),
});

Deno.test({
  name: "nats: a timeout reaches the worker and stops the job there",
  ignore,
  fn: () =>
    withWorker(async (_server, worker, pool) => {
      await using dir = await tempDir();
      const marker = `${dir.path}/spin`;
      const spinning = pool.with({ timeout: 500 }).call("spin", marker);
      await assert.rejects(Promise.resolve(spinning), TimeoutError);
      await until(() => worker.stats().cancelled === 1, "the worker's cancel");
      assert.equal(await exists(marker), true);
      // The worker's pool replaced the Web Worker it terminated.
      assert.equal(await pool.call("add", 1, 1), 2);
    }),
});

Deno.test({
  name: "nats: cancelling a running job stops it in the worker",
  ignore,
  fn: () =>
    withWorker(async (_server, worker, pool) => {
      await using dir = await tempDir();
      const marker = `${dir.path}/spin`;
      const spinning = pool.call("spin", marker);
      await until(() => exists(marker), "the job to start");
      assert.equal(spinning.cancel(), true);
      await assert.rejects(Promise.resolve(spinning), CancelledError);
      await until(() => worker.stats().cancelled === 1, "the worker's cancel");
      assert.deepEqual(pool.stats().cancelled, 1);
    }),
});

Deno.test({
  name: "nats: a job cancelled while queued never runs",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    await using dir = await tempDir();
    await using pool = await NatsExecutor.connect({
      servers: server.servers,
      module: tasks,
    });
    const marker = `${dir.path}/spin`;
    const controller = new AbortController();
    const queued = pool.with({ signal: controller.signal }).call(
      "spin",
      marker,
    );
    await until(() => pool.stats().queued === 1, "the job to be queued");
    controller.abort();
    await assert.rejects(Promise.resolve(queued), CancelledError);
    await using _worker = await serve({
      servers: server.servers,
      module: new URL("./fixtures/nats_tasks.ts", import.meta.url),
      concurrency: 2,
      maxWorkers: 1,
    });
    assert.equal(await pool.call("add", 2, 2), 4);
    assert.equal(await exists(marker), false);
  },
});

Deno.test({
  name: "nats: maxQueue bounds the jobs no worker has started",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    const pool = await NatsExecutor.connect({
      servers: server.servers,
      module: tasks,
      maxQueue: 2,
    });
    const first = pool.call("add", 1, 1);
    const second = pool.call("add", 2, 2);
    assert.throws(
      () => pool.call("add", 3, 3),
      (error: unknown) =>
        error instanceof QueueFullError &&
        /2 jobs waiting for a worker \(maxQueue 2\)/.test(error.message),
    );
    await using _worker = await serve({
      servers: server.servers,
      module: new URL("./fixtures/nats_tasks.ts", import.meta.url),
      concurrency: 2,
      maxWorkers: 1,
    });
    assert.deepEqual(await Promise.all([first, second]), [2, 4]);
    assert.equal(await pool.call("add", 3, 3), 6);
    await pool.shutdown();
  },
});

Deno.test({
  name:
    "nats: hostile messages on the job subject fail their job and never crash the worker",
  ignore,
  fn: () =>
    withWorker(async (server, worker, pool) => {
      const nc = await connect({ servers: server.servers });
      try {
        const js = (await jetstreamManager(nc)).jetstream();
        const subject = "frontier.default.jobs";
        const replies = nc.subscribe("frontier.default.results.intruder");
        const hostile = (fields: Record<string, string>, body: Uint8Array) => {
          const h = headers();
          for (const [key, value] of Object.entries(fields)) h.set(key, value);
          return js.publish(subject, body, { headers: h });
        };
        const ids = { "Frontier-Client": "intruder" };
        // Random bytes, no headers at all.
        await js.publish(subject, crypto.getRandomValues(new Uint8Array(512)));
        // Random bytes as arguments.
        await hostile({
          ...ids,
          "Frontier-Job": "j1",
          "Frontier-Export": "add",
          "Frontier-Args": "2",
        }, crypto.getRandomValues(new Uint8Array(64)));
        // An export the module does not have.
        await hostile({
          ...ids,
          "Frontier-Job": "j2",
          "Frontier-Export": "constructor",
          "Frontier-Args": "0",
        }, new Uint8Array());
        // A huge value announced in chunks that were never written.
        await hostile({
          ...ids,
          "Frontier-Job": "j3",
          "Frontier-Export": "sum",
          "Frontier-Args": "1",
          "Frontier-Blob": "nothing",
          "Frontier-Chunks": "1000",
          "Frontier-Bytes": String(64 * 1024 * 1024),
        }, new Uint8Array());
        // More than the limit.
        await hostile({
          ...ids,
          "Frontier-Job": "j4",
          "Frontier-Export": "sum",
          "Frontier-Args": "1",
          "Frontier-Blob": "nothing",
          "Frontier-Chunks": "1",
          "Frontier-Bytes": String(2 ** 40),
        }, new Uint8Array());
        const answers = new Map<string, string>();
        for await (const msg of replies) {
          answers.set(
            msg.headers!.get("Frontier-Job"),
            msg.headers!.get("Frontier-Outcome"),
          );
          if (answers.size === 4) break;
        }
        assert.deepEqual(
          [...answers].sort(),
          [["j1", "error"], ["j2", "error"], ["j3", "error"], ["j4", "error"]],
        );
        await until(
          () => worker.stats().rejected + worker.stats().failed === 5,
          "all five handled",
        );
        assert.equal(await pool.call("add", 20, 22), 42);
      } finally {
        await nc.close();
      }
    }),
});

Deno.test({
  name:
    "nats: a job whose worker process is killed mid-job runs again on another worker and settles once",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    await using dir = await tempDir();
    const marker = `${dir.path}/runs`;
    const release = `${dir.path}/release`;
    const first = await WorkerProcess.start(server, ["--ack-wait", "1000"]);
    let second: WorkerProcess | undefined;
    try {
      await using pool = await NatsExecutor.connect({
        servers: server.servers,
        module: tasks,
      });
      const job = pool.call("hold", marker, release);
      let settled = 0;
      job.addDoneCallback(() => settled++);
      await until(() => exists(marker), "the first run to start");
      await first.kill("SIGKILL");
      await Deno.writeTextFile(release, "go");
      second = await WorkerProcess.start(server, ["--ack-wait", "1000"]);
      assert.equal(await job, 2); // the second run saw the first's line
      assert.equal(await pool.call("add", 1, 2), 3);
      assert.equal(settled, 1);
      assert.equal(pool.stats().completed, 2);
      assert.equal(pool.stats().failed, 0);
    } finally {
      await first.kill("SIGKILL");
      await second?.kill();
    }
  },
});

Deno.test({
  name:
    "nats: a job longer than ackWait is kept alive by its worker and runs once",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    await using dir = await tempDir();
    const marker = `${dir.path}/runs`;
    const release = `${dir.path}/release`;
    const workers = [
      await WorkerProcess.start(server, ["--ack-wait", "1000"]),
      await WorkerProcess.start(server, ["--ack-wait", "1000"]),
    ];
    try {
      await using pool = await NatsExecutor.connect({
        servers: server.servers,
        module: tasks,
      });
      const job = pool.call("hold", marker, release);
      await until(() => exists(marker), "the job to start");
      // Three times the ack wait: without in-progress acks the server
      // would have handed the job to the other worker by now.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await Deno.writeTextFile(release, "go");
      assert.equal(await job, 1);
    } finally {
      for (const worker of workers) await worker.kill();
    }
  },
});

Deno.test({
  name: "nats: queued jobs survive a restart of nats-server and still run",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    await using pool = await NatsExecutor.connect({
      servers: server.servers,
      module: tasks,
      nats: { reconnectTimeWait: 100 },
    });
    const before = [pool.call("add", 1, 1), pool.call("fib", 10)];
    await until(() => pool.stats().queued === 2, "the jobs to be queued");
    // Stored? The executor counts a job queued before the server's ack.
    const nc = await connect({ servers: server.servers });
    const jsm = await jetstreamManager(nc);
    await until(
      async () =>
        (await jsm.streams.info("FRONTIER_default_JOBS")).state.messages === 2,
      "the jobs to be stored",
    );
    await nc.close();
    await server.stop();
    await until(() => !pool.stats().connected, "the client to see the drop");
    // Sent while the server is away: it goes out once it is back.
    const during = pool.call("add", 2, 2);
    await server.restart();
    const worker = await WorkerProcess.start(server);
    try {
      assert.deepEqual(await Promise.all([...before, during]), [2, 55, 4]);
      assert.equal(pool.stats().reconnects >= 1, true);
    } finally {
      await worker.kill();
    }
  },
});

Deno.test({
  name:
    "nats: a job delivered maxDeliver times without an answer fails with JobLostError",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    await using dir = await tempDir();
    const marker = `${dir.path}/runs`;
    const worker = await WorkerProcess.start(server, [
      "--ack-wait",
      "1000",
      "--max-deliver",
      "1",
    ]);
    try {
      await using pool = await NatsExecutor.connect({
        servers: server.servers,
        module: tasks,
      });
      const job = pool.call("hold", marker, `${dir.path}/never`);
      await until(() => exists(marker), "the job to start");
      await worker.kill("SIGKILL");
      await assert.rejects(
        Promise.resolve(job),
        (error: unknown) =>
          error instanceof JobLostError &&
          /call\("hold"\) was delivered 1 times and no worker finished it/
            .test(error.message),
      );
    } finally {
      await worker.kill("SIGKILL");
    }
  },
});

Deno.test({
  name:
    "nats: pending jobs fail with JobLostError when the connection closes for good",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    const nc = await connect({ servers: server.servers });
    const pool = await NatsExecutor.connect({
      connection: nc,
      module: tasks,
    });
    const job = pool.call("add", 1, 2);
    const jsm = await jetstreamManager(nc);
    await until(
      async () =>
        (await jsm.streams.info("FRONTIER_default_JOBS")).state.messages === 1,
      "the job to be stored",
    );
    await nc.close();
    await assert.rejects(
      Promise.resolve(job),
      (error: unknown) =>
        error instanceof JobLostError &&
        /the connection to NATS closed while it was pending/.test(
          error.message,
        ),
    );
    await pool.shutdown();
  },
});

Deno.test({
  name: "nats: examples/cluster.ts runs part 5 across two worker processes",
  ignore,
  async fn() {
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "examples/cluster.ts", "20"],
      cwd: new URL("../", import.meta.url).pathname,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
      // Only a guard against a hang.
      signal: AbortSignal.timeout(120_000),
    }).output();
    const out = new TextDecoder().decode(stdout);
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    assert.match(out, /compute_fibs\(20\) twice in sequence: \d+ ms/);
    assert.match(out, /speedup: \d+\.\d\dx/);
    assert.match(out, /fib\(19\) = 4181 \(both: true\)/);
  },
});

/** The error `future` fails with, observed at once. */
function failure(future: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(future.then(
    () => assert.fail("expected a failure"),
    (error: unknown) => error,
  ));
}

Deno.test({
  name:
    "nats: a job given up while its client was disconnected fails with JobLostError once the client is back",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    await using dir = await tempDir();
    await using proxy = TcpProxy.start(server.port);
    const marker = `${dir.path}/runs`;
    const worker = await WorkerProcess.start(server, [
      "--ack-wait",
      "1000",
      "--max-deliver",
      "1",
    ]);
    const observer = await connect({ servers: server.servers });
    try {
      await using pool = await NatsExecutor.connect({
        servers: proxy.servers,
        module: tasks,
        nats: { reconnectTimeWait: 100 },
      });
      const givenUp = observer.subscribe(
        "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.>",
        { max: 1 },
      );
      const job = pool.call("hold", marker, `${dir.path}/never`);
      const outcome = Promise.resolve(job).then(() => "done", (error) => error);
      await until(() => exists(marker), "the job to start");
      await proxy.cut();
      await until(() => !pool.stats().connected, "the client to see the drop");
      await worker.kill("SIGKILL");
      // The server gives the job up while its client is away.
      for await (const _ of givenUp) break;
      proxy.resume();
      // Bounded: before the fix it stayed pending (then the cancel below
      // lets the executor shut down).
      try {
        await until(() => job.done(), "the job to settle");
      } finally {
        job.cancel();
      }
      const error = await outcome;
      assert.ok(error instanceof JobLostError);
      assert.match(
        error.message,
        /call\("hold"\) was delivered 1 times and no worker finished it/,
      );
    } finally {
      await worker.kill("SIGKILL");
      await observer.close();
    }
  },
});

Deno.test({
  name:
    "nats: a cancel sent while the worker was disconnected stops the job once the worker is back",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    await using dir = await tempDir();
    await using proxy = TcpProxy.start(server.port);
    const marker = `${dir.path}/runs`;
    const release = `${dir.path}/release`;
    await using worker = await serve({
      servers: proxy.servers,
      module: new URL("./fixtures/nats_tasks.ts", import.meta.url),
      concurrency: 2,
      maxWorkers: 1,
      nats: { reconnectTimeWait: 100 },
    });
    await using pool = await NatsExecutor.connect({
      servers: server.servers,
      module: tasks,
    });
    const observer = await connect({ servers: server.servers });
    try {
      const cancels = observer.subscribe("frontier.default.cancel", { max: 1 });
      await observer.flush();
      const job = pool.call("hold", marker, release);
      await until(() => exists(marker), "the job to start");
      await proxy.cut();
      assert.equal(job.cancel(), true);
      // The server has the cancel while the worker is away.
      for await (const _ of cancels) break;
      proxy.resume();
      await until(() => worker.stats().cancelled === 1, "the worker's cancel");
      assert.equal(worker.stats().completed, 0);
      assert.equal(pool.stats().cancelled, 1);
    } finally {
      // Ends the job if it was not stopped, so that the worker can stop.
      await Deno.writeTextFile(release, "go");
      await observer.close();
    }
  },
});

Deno.test({
  name:
    "nats: jobs submitted together travel in batches; each settles, fails or is cancelled alone",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    await using dir = await tempDir();
    await using pool = await NatsExecutor.connect({
      servers: server.servers,
      module: tasks,
    });
    const marker = `${dir.path}/spin`;
    // In one message with the first sums: it cannot be taken off the queue.
    const cancelled = pool.call("spin", marker);
    const sums = Array.from({ length: 200 }, (_, i) => pool.call("add", i, 1));
    const failing = failure(pool.call("fail", "batched"));
    // Cannot be cloned: fails alone, its neighbours still go.
    const uncloneable = failure(pool.call("echo", () => {}));
    const missing = failure(pool.call("nothing" as "add", 1, 2));
    const mixed = pool.call("echo", new Map([[1n, new Date(3)]]));
    // Too large to travel with the others: goes alone.
    const large = pool.call("sum", new Uint8Array(300 * 1024).fill(1));
    const bigResults = [
      pool.call("bytes", 200 * 1024, 1),
      pool.call("bytes", 200 * 1024, 2),
    ];
    const queued = pool.stats().queued;
    // Failed when the jobs were sent: they are on their way now.
    const notCloned = await uncloneable;
    assert.equal(cancelled.cancel(), true);
    // Started after the cancel: the kept cancel tells it to skip the job.
    await using worker = await serve({
      servers: server.servers,
      module: new URL("./fixtures/nats_tasks.ts", import.meta.url),
      concurrency: 8,
      maxWorkers: 1,
    });
    assert.equal(queued, 208);
    assert.match(
      String(notCloned),
      /DataCloneError: .* could not be cloned/,
    );
    assert.deepEqual(
      await Promise.all(sums),
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    assert.ok(await failing instanceof RangeError);
    assert.match(String(await missing), /has no such export/);
    assert.deepEqual(await mixed, new Map([[1n, new Date(3)]]));
    assert.equal(await large, 300 * 1024);
    const [one, two] = await Promise.all(bigResults);
    assert.equal(one.length + two.length, 400 * 1024);
    assert.equal(two[0], 2);
    await assert.rejects(Promise.resolve(cancelled), CancelledError);
    await until(() => worker.stats().cancelled === 1, "the worker's skip");
    assert.equal(await exists(marker), false);
  },
});

Deno.test({
  name:
    "nats: hostile batches fail their jobs, one bad entry only its own, and never crash the worker",
  ignore,
  fn: () =>
    withWorker(async (server, worker, pool) => {
      const nc = await connect({ servers: server.servers });
      try {
        const js = (await jetstreamManager(nc)).jetstream();
        const replies = nc.subscribe("frontier.default.results.intruder");
        const batch = (fields: Record<string, string>, body: Uint8Array) => {
          const h = headers();
          h.set("Frontier-Client", "intruder");
          for (const [key, value] of Object.entries(fields)) h.set(key, value);
          return js.publish("frontier.default.jobs", body, { headers: h });
        };
        // Random bytes as a batch.
        await batch(
          { "Frontier-Job": "b1", "Frontier-Batch": "2" },
          crypto.getRandomValues(new Uint8Array(256)),
        );
        // A batch with one good entry and one bad.
        await batch(
          { "Frontier-Job": "b2", "Frontier-Batch": "2" },
          encode([["e1", "add", [1, 2]], ["e2", 5, "not arguments"]]),
        );
        // A batch larger than a batch may be.
        await batch(
          { "Frontier-Job": "b3", "Frontier-Batch": "100000" },
          new Uint8Array(),
        );
        const answers = new Map<string, string>();
        for await (const msg of replies) {
          const h = msg.headers!;
          if (h.get("Frontier-Results") !== "") {
            const entries = decode(msg.data) as [string, boolean, unknown][];
            for (const [job, ok, value] of entries) {
              answers.set(job, ok ? `ok ${value}` : "error");
            }
          } else {
            const ok = h.get("Frontier-Outcome") === "ok";
            answers.set(
              h.get("Frontier-Job"),
              ok ? `ok ${decode(msg.data)}` : "error",
            );
          }
          if (answers.size === 4) break;
        }
        assert.deepEqual(
          [...answers].sort(),
          [["b1", "error"], ["b3", "error"], ["e1", "ok 3"], ["e2", "error"]],
        );
        assert.equal(await pool.call("add", 20, 22), 42);
        assert.equal(worker.stats().rejected, 2);
      } finally {
        await nc.close();
      }
    }),
});

Deno.test({
  name:
    "nats: a large value whose chunks come slowly is read whole, and one whose chunks are gone fails clearly",
  ignore,
  async fn() {
    await using server = await NatsServer.start();
    const nc = await connect({ servers: server.servers });
    try {
      const jsm = await jetstreamManager(nc);
      const names = queueNames("blobs", "test");
      await ensureStreams(jsm, names);
      const bytes = new Uint8Array(10_000).map((_, i) => i % 251);
      const blob = await putBlob(jsm.jetstream(), names, bytes, 1024);
      // A server too busy to deliver within a pull's time: every other pull
      // brings nothing.
      let pulls = 0;
      const slow = {
        streams: jsm.streams,
        jetstream() {
          const js = jsm.jetstream();
          return {
            consumers: {
              async get(...args: Parameters<typeof js.consumers.get>) {
                const consumer = await js.consumers.get(...args);
                return {
                  fetch(options: { max_messages: number }) {
                    if (pulls++ % 2 === 0) {
                      return Promise.resolve({
                        stop() {},
                        async *[Symbol.asyncIterator]() {},
                      });
                    }
                    return consumer.fetch({
                      ...options,
                      max_messages: Math.min(options.max_messages, 3),
                    });
                  },
                };
              },
            },
          };
        },
      } as unknown as typeof jsm;
      assert.deepEqual(await getBlob(slow, names, blob), bytes);
      assert.ok(pulls > 4, `${pulls} pulls`);
      // Gone once the pulls have started: the read says so.
      pulls = 0;
      const purging = {
        streams: jsm.streams,
        jetstream() {
          return {
            consumers: {
              get: () =>
                Promise.resolve({
                  async fetch() {
                    await jsm.streams.purge(names.dataStream, {
                      filter: names.data(blob.id),
                    });
                    return { stop() {}, async *[Symbol.asyncIterator]() {} };
                  },
                }),
            },
          };
        },
      } as unknown as typeof jsm;
      await assert.rejects(getBlob(purging, names, blob), {
        name: "TypeError",
        message:
          /Cannot read a large value \(10000 bytes in 10 chunks\): got 0, then 0 chunks were stored/,
      });
    } finally {
      await nc.close();
    }
  },
});
