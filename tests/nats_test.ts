// Copyright 2026 the @frontier/generators authors. MIT license.
// The executor on NATS against a real nats-server (started by each test on a
// free port, with a temporary store) and real worker processes.

import assert from "node:assert/strict";
import { NatsExecutor } from "../nats.ts";
import * as tasks from "./fixtures/nats_tasks.ts";
import { hasNatsServer, NatsServer, WorkerProcess } from "./_nats_server.ts";

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
