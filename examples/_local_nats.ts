// Copyright 2026 the @frontier/generators authors. MIT license.
// A local `nats-server` with JetStream for the examples that cross processes
// (cluster.ts, remote_actors.ts): on a free port of 127.0.0.1, with a store
// in a temporary directory that goes with it.

/** What an example prints when there is no `nats-server` to start. */
export const NO_NATS_SERVER =
  "nats-server is not on PATH: install it (Debian, Ubuntu: apt-get install nats-server; macOS: brew install nats-server; or a release from the NATS project) and run this again";

/** Whether `nats-server` is on PATH. */
export function hasNatsServer(): boolean {
  try {
    new Deno.Command("nats-server", { args: ["--version"] }).outputSync();
    return true;
  } catch {
    return false;
  }
}

/** A running local server; disposing of it stops it and removes its store. */
export interface LocalNats extends AsyncDisposable {
  /** `host:port`, for the clients. */
  servers: string;
}

/** Starts `nats-server -js` and waits until it says it is ready. */
export async function startLocalNats(prefix: string): Promise<LocalNats> {
  const store = await Deno.makeTempDir({ prefix });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const child = new Deno.Command("nats-server", {
    args: ["-js", "-sd", store, "-a", "127.0.0.1", "-p", String(port)],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stop = async () => {
    child.kill("SIGTERM");
    await child.status;
    await Deno.remove(store, { recursive: true });
  };
  try {
    // nats-server logs to stderr.
    await readyLine(
      child.stderr,
      (line) => line.includes("Server is ready"),
      "nats-server",
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { servers: `127.0.0.1:${port}`, [Symbol.asyncDispose]: stop };
}

/**
 * Waits for a line of `stream` that `ready` accepts, then keeps reading the
 * rest, so that a full pipe never blocks the process that writes it.
 */
export async function readyLine(
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
