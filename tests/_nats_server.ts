// Copyright 2026 the @frontier/generators authors. MIT license.
// A real `nats-server` with JetStream for the tests, on a free port with a
// temporary store, and real worker processes (`deno run nats_worker.ts`).

const root = new URL("../", import.meta.url);

/** Whether `program` is on PATH (it answers `--version`). */
export function onPath(program: string): boolean {
  try {
    new Deno.Command(program, { args: ["--version"] }).outputSync();
    return true;
  } catch {
    return false;
  }
}

/** Whether `nats-server` is on PATH. */
export function hasNatsServer(): boolean {
  return onPath("nats-server");
}

/** A port of 127.0.0.1 that was free a moment ago. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Waits until `child` listens on `port`; kills it if it never does. */
export async function waitForPort(
  port: number,
  child: Deno.ChildProcess,
  what = "nats-server",
) {
  for (let i = 0; i < 500; i++) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  child.kill("SIGKILL");
  await child.status;
  throw new Error(`${what} did not listen on port ${port}`);
}

/** A running `nats-server -js`; `restart()` keeps its port and its store. */
export class NatsServer {
  readonly port: number;
  readonly storeDir: string;
  #child: Deno.ChildProcess | undefined;
  readonly #extra: string[];

  private constructor(port: number, storeDir: string, extra: string[]) {
    this.port = port;
    this.storeDir = storeDir;
    this.#extra = extra;
  }

  /** The server's process id, while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** `host:port` for the clients. */
  get servers(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts a server; `extra` are more command-line arguments. */
  static async start(extra: string[] = []): Promise<NatsServer> {
    const server = new NatsServer(
      freePort(),
      await Deno.makeTempDir({ prefix: "nats_test_" }),
      extra,
    );
    await server.#spawn();
    return server;
  }

  async #spawn(): Promise<void> {
    const child = new Deno.Command("nats-server", {
      args: [
        "-js",
        "-sd",
        this.storeDir,
        "-a",
        "127.0.0.1",
        "-p",
        String(this.port),
        ...this.#extra,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    this.#child = child;
    await waitForPort(this.port, child);
  }

  /** Stops the server (as an operator would), keeping its store. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    this.#child = undefined;
    child.kill("SIGTERM");
    await child.status;
  }

  /** Starts it again on the same port, from the same store. */
  restart(): Promise<void> {
    return this.#spawn();
  }

  /** Stops it and removes its store. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
    await Deno.remove(this.storeDir, { recursive: true });
  }
}

/** A worker process: `deno run -A nats_worker.ts --module ...`. */
export class WorkerProcess {
  readonly #child: Deno.ChildProcess;
  readonly #stdout: ReadableStreamDefaultReader<string>;
  readonly #stderr: Promise<string>;

  private constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#stdout = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    this.#stderr = new Response(child.stderr).text();
  }

  /** The process id. */
  get pid(): number {
    return this.#child.pid;
  }

  /** Starts a worker and waits for its "serving" line. */
  static async start(
    server: NatsServer,
    args: string[] = [],
    module = "tests/fixtures/nats_tasks.ts",
  ): Promise<WorkerProcess> {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "nats_worker.ts",
        "--servers",
        server.servers,
        "--module",
        module,
        ...args,
      ],
      cwd: root.pathname,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const worker = new WorkerProcess(child);
    let seen = "";
    while (!seen.includes("serving")) {
      const { value, done } = await worker.#stdout.read();
      if (done) {
        const status = await child.status;
        throw new Error(
          `the worker exited (${status.code}) before serving: ${await worker
            .#stderr}`,
        );
      }
      seen += value;
    }
    return worker;
  }

  /** Sends `signal` and waits for the process to end; returns its stderr. */
  async kill(signal: Deno.Signal = "SIGTERM"): Promise<string> {
    try {
      this.#child.kill(signal);
    } catch {
      // Already ended.
    }
    await this.#child.status;
    await this.#stdout.cancel();
    return await this.#stderr;
  }
}

/** Polls `check` until it is true (every 20 ms, for at most 60 s). */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/**
 * A TCP proxy in front of a server: `cut()` drops every connection through
 * it and refuses new ones (a network partition for those clients alone),
 * `resume()` lets them reconnect; while `dropping`, what the server sends
 * is lost on the way.
 */
export class TcpProxy {
  readonly port: number;
  readonly #target: number;
  #listener: Deno.Listener | undefined;
  readonly #conns = new Set<Deno.Conn>();
  readonly #tasks = new Set<Promise<void>>();
  dropping = false;

  private constructor(port: number, target: number) {
    this.port = port;
    this.#target = target;
  }

  static start(target: number): TcpProxy {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const proxy = new TcpProxy((listener.addr as Deno.NetAddr).port, target);
    proxy.#serve(listener);
    return proxy;
  }

  get servers(): string {
    return `127.0.0.1:${this.port}`;
  }

  #track(task: Promise<void>): void {
    this.#tasks.add(task);
    task.finally(() => this.#tasks.delete(task));
  }

  #serve(listener: Deno.Listener): void {
    this.#listener = listener;
    this.#track(
      (async () => {
        for await (const conn of listener) {
          let upstream: Deno.Conn;
          try {
            upstream = await Deno.connect({
              hostname: "127.0.0.1",
              port: this.#target,
            });
          } catch {
            conn.close();
            continue;
          }
          this.#conns.add(conn);
          this.#conns.add(upstream);
          this.#track(this.#pipe(conn, upstream, false));
          this.#track(this.#pipe(upstream, conn, true));
        }
      })().catch(() => {}),
    );
  }

  async #pipe(
    from: Deno.Conn,
    to: Deno.Conn,
    fromServer: boolean,
  ): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    try {
      for (;;) {
        const n = await from.read(buffer);
        if (n === null) break;
        if (fromServer && this.dropping) continue;
        for (let at = 0; at < n;) at += await to.write(buffer.subarray(at, n));
      }
    } catch {
      // Cut.
    }
    for (const conn of [from, to]) {
      if (this.#conns.delete(conn)) conn.close();
    }
  }

  /** Drops every connection and refuses new ones. */
  async cut(): Promise<void> {
    this.#listener?.close();
    this.#listener = undefined;
    for (const conn of this.#conns) conn.close();
    this.#conns.clear();
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
  }

  /** Drops every connection; new ones go through at once (a blip). */
  async blip(): Promise<void> {
    await this.cut();
    this.resume();
  }

  /** Accepts connections again, on the same port. */
  resume(): void {
    this.#serve(Deno.listen({ hostname: "127.0.0.1", port: this.port }));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.cut();
  }
}
