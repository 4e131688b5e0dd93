// Copyright 2026 the @frontier/generators authors. MIT license.
/**
 * Beyond the tutorial: structured concurrency. Several requests run as child
 * tasks of a `taskGroup`, under a `timeout`. One failing request cancels its
 * siblings, and each cancelled task aborts its `fetch` through `task.signal`:
 * the local server below counts the requests its clients gave up on. Then a
 * producer and a slow consumer pass words through a bounded `Queue`.
 *
 * `deno run --allow-net=127.0.0.1 examples/structured_concurrency.ts`
 *
 * @module
 */

import { Future, sleep } from "@frontier/generators/future";
import { Queue, QueueShutDownError } from "@frontier/generators/queue";
import {
  currentTask,
  inlinedFuture,
  type Operation,
  runInlineFuture,
} from "@frontier/generators/task";
import { taskGroup, timeout, waitFor } from "@frontier/generators/scope";

/**
 * A small HTTP server on 127.0.0.1: `/fast/<name>` answers at once,
 * `/slow/<name>` after ten seconds, `/fail` with a 500 after 50 ms. It counts
 * the requests whose client aborted before the answer.
 */
export class LocalServer implements AsyncDisposable {
  #server: Deno.HttpServer<Deno.NetAddr>;
  #aborted = 0;
  #waiters: { count: number; future: Future<void> }[] = [];

  constructor() {
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (request) => this.#handle(request),
    );
  }

  /** The server's base URL, like `http://127.0.0.1:4711`. */
  get url(): string {
    const { hostname, port } = this.#server.addr;
    return `http://${hostname}:${port}`;
  }

  /** How many requests were aborted by their client so far. */
  get aborted(): number {
    return this.#aborted;
  }

  /** A future that is done once `count` requests in all were aborted. */
  abortedReach(count: number): Future<void> {
    const future = new Future<void>();
    if (this.#aborted >= count) future.setResult(undefined);
    else this.#waiters.push({ count, future });
    return future;
  }

  async #handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path === "/fail") {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return new Response("broken", { status: 500 });
    }
    if (!path.startsWith("/slow/")) return new Response(`body of ${path}`);
    // The body comes after ten seconds; a client that gives up first closes
    // the connection, and the stream is cancelled: that is what is counted.
    let timer: ReturnType<typeof setTimeout>;
    return new Response(
      new ReadableStream<Uint8Array>({
        start: (controller) => {
          timer = setTimeout(() => {
            controller.enqueue(new TextEncoder().encode(`body of ${path}`));
            controller.close();
          }, 10_000);
        },
        cancel: () => {
          clearTimeout(timer);
          this.#countAbort();
        },
      }),
    );
  }

  #countAbort(): void {
    this.#aborted++;
    for (const waiter of this.#waiters) {
      if (this.#aborted >= waiter.count && !waiter.future.done()) {
        waiter.future.setResult(undefined);
      }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#server.shutdown();
  }
}

/**
 * GETs `url` and returns its text. The task's own signal goes to `fetch`, so
 * cancelling the task aborts the request, and the server sees it go.
 */
export function* get(url: string): Operation<string> {
  const { signal } = currentTask()!;
  const response = yield* Future.from(fetch(url, { signal }));
  if (!response.ok) {
    yield* Future.from(response.body?.cancel());
    throw new Error(`GET ${new URL(url).pathname}: ${response.status}`);
  }
  return yield* Future.from(response.text());
}

/** Fetches every path of `paths` at once; the first failure cancels the rest. */
export const fetchAll = inlinedFuture(
  function* fetchAll(base: string, paths: string[]): Operation<string[]> {
    return yield* taskGroup(function* (group) {
      const tasks = paths.map((path) =>
        group.spawn(get(`${base}${path}`), { name: path })
      );
      const bodies: string[] = [];
      for (const task of tasks) bodies.push(yield* task);
      return bodies;
    });
  },
);

function describeFailure(error: unknown): string {
  if (error instanceof AggregateError) {
    return `AggregateError: ${
      error.errors.map((e) => (e as Error).message).join("; ")
    }`;
  }
  return `${(error as Error).name}: ${(error as Error).message}`;
}

async function fetchDemo(): Promise<void> {
  await using server = new LocalServer();

  console.log("-- every request answers: the group returns all bodies");
  const bodies = await runInlineFuture(
    timeout(5_000, fetchAll(server.url, ["/fast/a", "/fast/b", "/fast/c"])),
  );
  console.log(bodies.join(", "));

  console.log("-- one request fails: its two slow siblings are cancelled");
  try {
    await runInlineFuture(
      timeout(5_000, fetchAll(server.url, ["/slow/a", "/fail", "/slow/b"])),
    );
  } catch (error) {
    console.log(describeFailure(error));
  }
  await waitFor(server.abortedReach(2), 5_000);
  console.log(`the server saw ${server.aborted} requests aborted`);

  console.log("-- too slow for the timeout: every request is cancelled");
  try {
    await runInlineFuture(
      timeout(100, fetchAll(server.url, ["/slow/c", "/slow/d", "/slow/e"])),
    );
  } catch (error) {
    console.log(describeFailure(error));
  }
  await waitFor(server.abortedReach(5), 5_000);
  console.log(`the server saw ${server.aborted} requests aborted`);
}

// A pipeline through a bounded queue: the producer waits whenever the
// consumer falls two items behind; join() waits until every item is dealt
// with, and shutdown() ends the consumer's loop. Both run as children of one
// group, so a failure in either would cancel the other.
function* produce(queue: Queue<string>, words: string[]): Operation<void> {
  for (const word of words) {
    yield* queue.put(word); // waits while the queue is full
    console.log(`put ${word} (${queue.size} in the queue)`);
  }
  yield* queue.join(); // until the consumer marked every item done
  queue.shutdown(); // the consumer's next get() fails, and it stops
}

function* consume(queue: Queue<string>): Operation<number> {
  let letters = 0;
  for (;;) {
    let word: string;
    try {
      word = yield* queue.get();
    } catch (error) {
      if (error instanceof QueueShutDownError) return letters; // drained
      throw error;
    }
    yield* sleep(5); // a slow consumer
    letters += word.length;
    queue.taskDone();
  }
}

async function pipelineDemo(): Promise<void> {
  console.log("-- a producer and a slow consumer, through a Queue of 2");
  const words = ["generators", "futures", "tasks", "queues", "locks"];
  const letters = await runInlineFuture(taskGroup(function* (group) {
    const queue = new Queue<string>({ maxSize: 2 });
    const consumer = group.spawn(consume(queue));
    group.spawn(produce(queue, words));
    return yield* consumer;
  }));
  console.log(`consumed ${letters} letters`);
}

/** Runs the example. */
export async function main(): Promise<void> {
  await fetchDemo();
  await pipelineDemo();
}

if (import.meta.main) await main();
