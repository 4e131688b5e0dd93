// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * The worker process of `NatsExecutor` (`@frontier/generators/nats`): serves
 * one module's exports to the executors connected to the same NATS servers,
 * running them on a `WorkerPool` of this machine's cores (a generator export
 * runs as a `Task`). Start one per machine:
 *
 * ```sh
 * deno run -A jsr:@frontier/generators/nats-worker \
 *   --servers nats1:4222,nats2:4222 --module ./tasks.ts --concurrency 16
 * ```
 *
 * Options: `--servers` (comma-separated, default `127.0.0.1:4222`),
 * `--module` (a path or URL, required), `--queue` (default `default`),
 * `--concurrency` (jobs held at once, default: the cores), `--workers`
 * (Web Workers in the pool, default: the cores), `--ack-wait` (ms),
 * `--max-deliver`, and for authentication `--user` and `--password`,
 * `--token`, `--creds` (a `.creds` file), `--tls-ca`, `--tls-cert`,
 * `--tls-key`. The password and token may also come from the environment
 * (`NATS_PASSWORD`, `NATS_TOKEN`), out of the process list. `SIGINT` or
 * `SIGTERM` stops taking jobs and exits once the running ones are done.
 *
 * A program that embeds a worker calls {@linkcode serve} instead.
 *
 * @module
 */

import { checkCount, checkMilliseconds } from "./_core/checks.ts";
import { describe } from "./_core/describe.ts";
import { checkConnectSettings } from "./_nats/connection.ts";
import { queueNames } from "./_nats/names.ts";
import { WorkerEngine } from "./_nats/worker_engine.ts";
import type { NatsConnectOptions } from "./nats.ts";

/** Options of {@linkcode serve}. */
export interface ServeOptions extends NatsConnectOptions {
  /**
   * The module whose exports are served: an absolute URL, such as
   * `new URL("./tasks.ts", import.meta.url)`. The worker imports it, and so
   * does each Web Worker of its pool.
   */
  module: string | URL;
  /**
   * The name of the work queue, the same as the executors'.
   *
   * @default {"default"}
   */
  queue?: string;
  /**
   * How many jobs this process holds at once; the others stay on the queue
   * for other workers. Small jobs submitted together travel in one message
   * (see `@frontier/generators/nats`), taken whole: the worker asks for as
   * many messages as its free slots hold at the size messages have lately
   * had, so it may hold up to one message's jobs more.
   *
   * @default {navigator.hardwareConcurrency}
   */
  concurrency?: number;
  /**
   * How many Web Workers run the jobs.
   *
   * @default {navigator.hardwareConcurrency}
   */
  maxWorkers?: number;
  /**
   * Milliseconds the server waits for news of a delivered job before it
   * delivers it again elsewhere. A running job sends news three times in
   * that span, so only a dead or cut-off worker's jobs move. It is a
   * setting of the consumer all workers share: the last worker to start
   * sets it.
   *
   * @default {30000}
   */
  ackWait?: number;
  /**
   * How many times a job is delivered before it is given up (its future
   * then fails with a `JobLostError`); shared like `ackWait`.
   *
   * @default {5}
   */
  maxDeliver?: number;
}

/** Counts from {@linkcode NatsWorker.stats}. */
export interface NatsWorkerStats {
  /** Jobs held: running, or being read or answered. */
  running: number;
  /** Jobs answered with a result. */
  completed: number;
  /** Jobs answered with an error. */
  failed: number;
  /** Jobs stopped because their client cancelled them. */
  cancelled: number;
  /** Messages on the job subject that were not jobs, failed and dropped. */
  rejected: number;
}

/**
 * A running worker, from {@linkcode serve}: `stop()` (or `await using`)
 * stops taking jobs and returns once the running ones are done.
 */
export interface NatsWorker extends AsyncDisposable {
  /** A random id for this worker, in its messages. */
  readonly id: string;
  /** The function exports it serves. */
  readonly exports: readonly string[];
  /**
   * Counts of the jobs it handled.
   *
   * @returns The counts.
   */
  stats(): NatsWorkerStats;
  /**
   * Stops taking jobs; resolves once the running ones are done and the
   * connection is closed.
   */
  stop(): Promise<void>;
}

/**
 * Serves the exports of `options.module` to `NatsExecutor`s on the same
 * NATS servers, until `stop()`.
 *
 * @example
 * ```ts ignore
 * import { serve } from "@frontier/generators/nats-worker";
 *
 * await using worker = await serve({
 *   servers: "127.0.0.1:4222",
 *   module: new URL("./tasks.ts", import.meta.url),
 *   concurrency: 8,
 * });
 * console.log(`serving ${worker.exports.join(", ")}`);
 * ```
 *
 * @param options The servers, the module, and limits.
 * @returns The running worker.
 * @throws {TypeError} For a `module` that is not an absolute URL.
 * @throws {RangeError} For counts or durations out of range.
 * @throws {Error} When NATS cannot be reached or has no JetStream.
 */
export async function serve(options: ServeOptions): Promise<NatsWorker> {
  const action = "serve";
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `Cannot ${action}: expected an options object, got ${
        describe(options)
      }; pass { module, servers }`,
    );
  }
  checkConnectSettings({ ...options, options: options.nats }, action);
  const module = checkModule(options.module, action);
  const queue = options.queue ?? "default";
  queueNames(queue, action);
  const cores = navigator.hardwareConcurrency;
  const engine = await WorkerEngine.start({
    connect: {
      servers: options.servers,
      connection: options.connection,
      options: options.nats,
      credentialsFile: options.credentialsFile,
    },
    module,
    queue,
    concurrency: checkCount(options.concurrency ?? cores, {
      action,
      name: "option concurrency",
      min: 1,
    }),
    maxWorkers: checkCount(options.maxWorkers ?? cores, {
      action,
      name: "option maxWorkers",
      min: 1,
    }),
    ackWait: Math.max(
      1000,
      checkMilliseconds(options.ackWait ?? 30_000, {
        action,
        name: "option ackWait",
      }),
    ),
    maxDeliver: checkCount(options.maxDeliver ?? 5, {
      action,
      name: "option maxDeliver",
      min: 1,
    }),
  });
  return {
    id: engine.id,
    exports: engine.exports,
    stats: () => engine.stats(),
    stop: () => engine.stop(),
    [Symbol.asyncDispose]: () => engine.stop(),
  };
}

function checkModule(module: unknown, action: string): string {
  if (module instanceof URL) return module.href;
  if (typeof module === "string" && URL.canParse(module)) return module;
  throw new TypeError(
    `Cannot ${action}: option module must be an absolute URL, got ${
      describe(module)
    }; pass new URL("./tasks.ts", import.meta.url), or import.meta.resolve("./tasks.ts")`,
  );
}

/** Reads the command line; see the module's documentation. */
function parseCommandLine(args: string[]): ServeOptions {
  const values: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(args[i]);
    const value = match?.[2] ?? args[i + 1];
    if (match === null || value === undefined) {
      throw new TypeError(
        `Cannot start the worker: expected --option value, got ${
          describe(args[i])
        }; see the documentation of @frontier/generators/nats-worker`,
      );
    }
    values[match[1]] = value;
    if (match[2] === undefined) i++;
  }
  if (values.module === undefined) {
    throw new TypeError(
      "Cannot start the worker: --module is missing; pass --module ./tasks.ts",
    );
  }
  const module = URL.canParse(values.module) && !/^[a-z]:/i.test(values.module)
    ? values.module
    : new URL(values.module, `file://${Deno.cwd()}/`).href;
  const number = (name: string) =>
    values[name] === undefined ? undefined : Number(values[name]);
  const password = values.password ?? Deno.env.get("NATS_PASSWORD");
  const token = values.token ?? Deno.env.get("NATS_TOKEN");
  const tls = values["tls-ca"] ?? values["tls-cert"] ?? values["tls-key"];
  return {
    module,
    servers: values.servers?.split(","),
    queue: values.queue,
    concurrency: number("concurrency"),
    maxWorkers: number("workers"),
    ackWait: number("ack-wait"),
    maxDeliver: number("max-deliver"),
    credentialsFile: values.creds,
    nats: {
      ...(values.user === undefined
        ? {}
        : { user: values.user, pass: password }),
      ...(token === undefined ? {} : { token }),
      ...(tls === undefined ? {} : {
        tls: {
          caFile: values["tls-ca"],
          certFile: values["tls-cert"],
          keyFile: values["tls-key"],
        },
      }),
    },
  };
}

if (import.meta.main) {
  let options: ServeOptions;
  let worker: NatsWorker;
  try {
    options = parseCommandLine(Deno.args);
    worker = await serve(options);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    Deno.exit(2);
  }
  console.log(
    `nats-worker ${worker.id}: serving ${
      worker.exports.join(", ")
    } from ${options.module} on queue ${options.queue ?? "default"}`,
  );
  const stop = () => {
    worker.stop().then(() => Deno.exit(0));
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
}
