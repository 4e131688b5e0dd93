// Copyright 2026 the @frontier/generators authors. MIT license.
// Checks of what `actor`, `spawn` and `spawnWorker` are given, and the error
// for a name nobody has, so that a mistake is reported where it was made,
// with what to do instead.

import { describe, isGeneratorFunction } from "../_core/describe.ts";
import type { CheckedAt } from "../_core/checks.ts";
import { ActorError } from "./error.ts";
import { ALIVE, type Cell } from "./cell.ts";
import { type RestartPolicy, restartPolicy } from "./restart.ts";
import type { SpawnOptions } from "../actor.ts";

/**
 * Checks the generator function given to `actor()`.
 *
 * @returns The name it registers actors under: the function's own.
 */
export function checkNamedActorFunction(genFn: unknown): string {
  if (!isGeneratorFunction(genFn)) {
    throw new TypeError(
      `Cannot create an actor: expected a generator function (function*), got ${
        describe(genFn)
      }`,
    );
  }
  if (genFn.name === "") {
    throw new TypeError(
      "Cannot create an actor: its generator function has no name, and actor() registers an actor under its function's name; name it (function* printer() {…}) or use spawn(name, genFn)",
    );
  }
  return genFn.name;
}

/** Checks the generator function given to `spawn()` for the actor `name`. */
export function checkActorFunction(genFn: unknown, name: string): void {
  if (!isGeneratorFunction(genFn)) {
    throw new TypeError(
      `Cannot spawn actor ${
        JSON.stringify(name)
      }: expected a generator function (function*), got ${describe(genFn)}`,
    );
  }
}

/** A checked name, with its restart policy. */
export interface SpawnName {
  name: string;
  policy: RestartPolicy | undefined;
}

/**
 * Checks the first argument of `spawn()` or `spawnWorker()`: a name, or the
 * name with a restart policy. `action` says which, e.g. `"spawn an actor"`.
 */
export function checkSpawnName(action: string, name: unknown): SpawnName {
  if (typeof name === "string") {
    if (name === "") {
      throw new TypeError(
        `Cannot ${action}: expected a non-empty name, got ${describe(name)}`,
      );
    }
    return { name, policy: undefined };
  }
  if (typeof name === "object" && name !== null) {
    const options = name as SpawnOptions;
    if (typeof options.name !== "string" || options.name === "") {
      throw new TypeError(
        `Cannot ${action}: option name must be a non-empty string, got ${
          describe(options.name)
        }`,
      );
    }
    return { name: options.name, policy: restartPolicy(action, options) };
  }
  throw new TypeError(
    `Cannot ${action}: expected a name, or { name, restart, maxRestarts, restartWindow }, got ${
      describe(name)
    }`,
  );
}

/**
 * Checks the URL of a module that a Worker loads.
 *
 * @returns The URL, as a string.
 */
export function checkModuleUrl(url: unknown, at: CheckedAt): string {
  if (url instanceof URL) return url.href;
  if (typeof url === "string") {
    if (URL.canParse(url)) return url;
    throw new TypeError(
      `Cannot ${at.action}: ${at.name} must be an absolute URL, got ${
        describe(url)
      }; a Worker resolves relative paths against this package, not your module, so pass new URL(${
        JSON.stringify(url)
      }, import.meta.url)`,
    );
  }
  throw new TypeError(
    `Cannot ${at.action}: ${at.name} must be a URL or an absolute URL string, got ${
      describe(url)
    }`,
  );
}

/** A name that no actor of a system has, and what was sent to it. */
export interface UnknownName {
  /** The name, as given (it may not even be a string). */
  name: unknown;
  /** The message, if `action` sends one. */
  message?: unknown;
  /** The system's actors by name, to list the running ones. */
  cells: Map<string, Cell>;
  /** Where else it was looked for, e.g. ` or in NATS cluster "c"`. */
  where?: string | undefined;
}

/**
 * The error for `action` (`"send"`, `"ask"` or `"stop"`) given a name that
 * no actor of the system has: it names the name and the running actors.
 */
export function unknownActor(action: string, unknown: UnknownName): Error {
  const name = unknown.name;
  if (typeof name !== "string") {
    return new TypeError(
      `Cannot ${action}: expected the actor's name as a string, got ${
        describe(name)
      }`,
    );
  }
  const known = [...unknown.cells.values()]
    .filter((cell) => cell.state === ALIVE)
    .map((cell) => JSON.stringify(cell.name));
  const list = known.length === 0
    ? "no actor is running"
    : `the running actors are ${known.slice(0, 10).join(", ")}${
      known.length > 10 ? ` and ${known.length - 10} more` : ""
    }`;
  const what = action === "stop" ? "" : ` ${describe(unknown.message)}`;
  return new ActorError(
    `Cannot ${action}${what}: no actor named ${
      JSON.stringify(name)
    } was ever started in this system${
      unknown.where ?? ""
    } (${list}); start it first with actor() or spawn(), or check the name`,
    name,
  );
}
