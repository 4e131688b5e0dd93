// Copyright 2026 the @frontier/generators authors. MIT license.
// The restart policy of an actor: how many times a crashed actor is made
// again from its function and arguments, counted over a sliding window.

import { checkCount, checkMilliseconds } from "../_core/checks.ts";
import { describe } from "../_core/describe.ts";
import type { RestartOptions } from "../actor.ts";

const DEFAULT_MAX_RESTARTS = 3;
const DEFAULT_RESTART_WINDOW = 10_000;

/** The policy of an actor that restarts, with its recent restarts. */
export interface RestartPolicy {
  /** The most restarts within the window. */
  maxRestarts: number;
  /** The window, in milliseconds (or `Infinity`). */
  window: number;
  /** When the restarts within the window happened, oldest first. */
  times: number[];
}

/**
 * Checks restart options given to `action`.
 *
 * @returns The policy, or `undefined` for an actor that never restarts.
 */
export function restartPolicy(
  action: string,
  options: RestartOptions,
): RestartPolicy | undefined {
  const restart = options.restart ?? "never";
  if (restart !== "never" && restart !== "always") {
    throw new TypeError(
      `Cannot ${action}: option restart must be "never" or "always", got ${
        describe(restart)
      }`,
    );
  }
  const maxRestarts = options.maxRestarts === undefined
    ? DEFAULT_MAX_RESTARTS
    : checkCount(options.maxRestarts, {
      action,
      name: "option maxRestarts",
      infinite: true,
    });
  if (!Number.isFinite(maxRestarts)) {
    throw new RangeError(
      `Cannot ${action}: option maxRestarts must be finite, got Infinity; an actor that fails as it starts would be restarted forever, so give a whole number`,
    );
  }
  const window = options.restartWindow === undefined
    ? DEFAULT_RESTART_WINDOW
    : options.restartWindow === Infinity
    ? Infinity
    : checkMilliseconds(options.restartWindow, {
      action,
      name: "option restartWindow",
    });
  if (restart === "never") return undefined;
  return { maxRestarts, window, times: [] };
}

/** The options that give `policy` again, for a second check elsewhere. */
export function restartOptions(
  policy: RestartPolicy | undefined,
): RestartOptions {
  return policy === undefined ? {} : {
    restart: "always",
    maxRestarts: policy.maxRestarts,
    restartWindow: policy.window,
  };
}

/**
 * Whether `policy` allows one more restart now; if it does, the restart is
 * counted.
 */
export function takeRestart(policy: RestartPolicy): boolean {
  const now = performance.now();
  const times = policy.times;
  while (times.length > 0 && now - times[0] >= policy.window) times.shift();
  if (times.length >= policy.maxRestarts) return false;
  times.push(now);
  return true;
}
