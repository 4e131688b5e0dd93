// Copyright 2026 the @frontier/generators authors. MIT license.
// The entry script of a Worker that runs one actor, loaded by
// `ActorSystem.prototype.spawnWorker` from this package's own URL (so it
// works when the package is imported from JSR or any other URL). The Worker
// is a `node:worker_threads` one (see `thread.ts`), whose global scope in Deno
// is a Worker's, with `postMessage` and `onmessage`: it listens there rather
// than on `parentPort.on("message")`, which walks every message it receives.
//
// The actor runs in this Worker's default system, started in the automatic
// mode; names it does not know are sent back over the link to the system
// that spawned it, and so are its dead letters and its errors. Closing runs
// the actor's `finally` blocks, posts what is left, and says "closed"; the
// other side then terminates the Worker.

import { type ActorFunction, defaultSystem } from "../actor.ts";
import { describe, isGeneratorFunction } from "../_core/describe.ts";
import { serializeError } from "../_core/error_clone.ts";
import { holdHaltLock } from "../_core/halt_lock.ts";
import { noReply, RemoteReply } from "./ask.ts";
import { engineOf } from "./engine.ts";
import {
  Link,
  type LinkHandler,
  type SpawnControl,
  type WorkerControl,
} from "./link.ts";

interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent) => void) | null;
  addEventListener(
    type: "error" | "unhandledrejection",
    listener: (event: Event) => void,
  ): void;
}

const scope = globalThis as unknown as WorkerScope;
const engine = engineOf(defaultSystem);

let hosted = "";
let ready = false;
let early: unknown[][] = [];
let spawning: Promise<void> = Promise.resolve();
// Held before the actor runs, so that terminate() can halt a handler stuck
// in a loop (see _core/halt_lock.ts).
const haltable = holdHaltLock();

function report(error: unknown, message: unknown): void {
  link.control(
    {
      type: "error",
      error: serializeError(error),
      name: hosted,
      message: message === undefined ? undefined : describe(message),
      restarting: false,
    } satisfies WorkerControl,
  );
}

const handler: LinkHandler = {
  onSend(name, message) {
    if (!engine.postByName(name, message, undefined)) {
      link.dead(name, message);
    }
  },
  onAsk(name, message, id) {
    const slot = new RemoteReply(link, id);
    if (!engine.postByName(name, message, slot)) {
      link.fail(
        id,
        noReply(name, message, {
          reason:
            "the actor did not start in its Worker; the message is in deadLetters",
        }),
      );
      link.dead(name, message);
    }
  },
  onDead(name, message) {
    defaultSystem.deadLetters.push({ name, message });
  },
  onUnsendable(_name, message, error) {
    report(error, message);
  },
};

const link = new Link(scope, handler);

engine.attachParent({
  link,
  onStopped(name) {
    if (name === hosted) {
      link.control({ type: "stopped" } satisfies WorkerControl);
    }
  },
  onError(error, info) {
    link.control(
      {
        type: "error",
        error: serializeError(error),
        name: info.name,
        message: describeForReport(info.message),
        restarting: info.restarting,
      } satisfies WorkerControl,
    );
  },
});

// A message for an error report: itself if it can cross, else its
// description.
function describeForReport(message: unknown): unknown {
  if (message === undefined) return undefined;
  try {
    structuredClone(message);
    return message;
  } catch {
    return describe(message);
  }
}

async function spawnActor(control: SpawnControl): Promise<void> {
  hosted = control.name;
  await haltable;
  try {
    const module = await import(control.module);
    const actorFunction = module[control.export];
    if (!isGeneratorFunction(actorFunction)) {
      const exports = Object.keys(module).filter((key) =>
        isGeneratorFunction(module[key])
      );
      throw new TypeError(
        `Cannot spawn Worker actor ${
          JSON.stringify(control.name)
        }: the export ${
          JSON.stringify(control.export)
        } of ${control.module} is ${
          describe(actorFunction)
        }, not a generator function; its generator function exports are ${
          exports.length === 0
            ? "none"
            : exports.map((key) => JSON.stringify(key)).join(", ")
        }`,
      );
    }
    const policy = control.restart === "always"
      ? {
        restart: "always" as const,
        maxRestarts: control.maxRestarts,
        restartWindow: control.restartWindow,
      }
      : {};
    defaultSystem.spawn(
      { name: control.name, ...policy },
      actorFunction as ActorFunction,
      ...control.args,
    );
  } catch (error) {
    report(error, undefined);
  }
  defaultSystem.start();
  ready = true;
  for (const batch of early) link.receive(batch);
  early = [];
  // It failed to start, or returned at once: say so, so the host closes.
  if (!defaultSystem.has(hosted)) {
    link.control({ type: "stopped" } satisfies WorkerControl);
  }
}

async function close(): Promise<void> {
  await spawning;
  await defaultSystem.stop();
  link.control({ type: "closed" } satisfies WorkerControl);
}

// An error that escaped the actor's generator (a callback or a task it
// started): the actor cannot be trusted to go on, as the main thread would
// not be. Report it and stop the actor, which closes the Worker.
function fatal(error: unknown): void {
  report(error, undefined);
  if (defaultSystem.has(hosted)) void defaultSystem.stop(hosted);
}

scope.addEventListener("error", (event) => {
  event.preventDefault();
  const errorEvent = event as ErrorEvent;
  fatal(errorEvent.error ?? new Error(errorEvent.message));
});
scope.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  fatal((event as PromiseRejectionEvent).reason);
});

scope.onmessage = (event) => {
  const data = event.data;
  if (Array.isArray(data)) {
    if (ready) link.receive(data);
    else early.push(data);
    return;
  }
  const control = data as SpawnControl | { type: "close" };
  if (control.type === "spawn") spawning = spawnActor(control);
  else if (control.type === "close") void close();
};
