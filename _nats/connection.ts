// Copyright 2026 the @frontier/generators authors. MIT license.
// Opening a connection to NATS the way every part of the package on NATS
// needs it: the servers and the client's own options (authentication, TLS)
// passed through, a credentials file read for the caller, reconnection
// without end (a pending job outlives a server restart), and the status
// events that tell the engines when the connection drops and comes back.
// Shared by the executor on NATS and, later, by actors on NATS.

import type { JetStreamClient, PubAck } from "npm:@nats-io/jetstream@3.4.0";
import type { MsgHdrs } from "npm:@nats-io/nats-core@3.4.0";
import {
  connect,
  type ConnectionOptions,
  credsAuthenticator,
  type NatsConnection,
} from "npm:@nats-io/transport-node@3.4.0";
import { describe } from "../_core/describe.ts";

/** How to reach NATS; see `NatsConnectOptions` in `nats.ts`. */
export interface ConnectSettings {
  servers?: string | string[];
  connection?: object;
  options?: object;
  credentialsFile?: string;
}

/** An open connection, and whether closing it is ours to do. */
export interface Connected {
  nc: NatsConnection;
  owned: boolean;
}

/** The server addresses used when none are given. */
export const DEFAULT_SERVERS = "127.0.0.1:4222";

/** Checks the connection settings; `action` names the call for messages. */
export function checkConnectSettings(
  settings: ConnectSettings,
  action: string,
): void {
  const { servers, connection, options, credentialsFile } = settings;
  const isServer = (s: unknown) => typeof s === "string" && s.length > 0;
  if (
    servers !== undefined &&
    !(isServer(servers) ||
      (Array.isArray(servers) && servers.length > 0 && servers.every(isServer)))
  ) {
    throw new TypeError(
      `Cannot ${action}: option servers must be a "host:port" string or a non-empty array of them, got ${
        describe(servers)
      }`,
    );
  }
  if (
    connection !== undefined &&
    (typeof connection !== "object" || connection === null ||
      typeof (connection as NatsConnection).publish !== "function")
  ) {
    throw new TypeError(
      `Cannot ${action}: option connection must be a NatsConnection, got ${
        describe(connection)
      }; pass what connect() of @nats-io/transport-node gave, or leave it out`,
    );
  }
  if (
    options !== undefined && (typeof options !== "object" || options === null)
  ) {
    throw new TypeError(
      `Cannot ${action}: option nats must be an object of connection options, got ${
        describe(options)
      }`,
    );
  }
  if (credentialsFile !== undefined && !isServer(credentialsFile)) {
    throw new TypeError(
      `Cannot ${action}: option credentialsFile must be a file path, got ${
        describe(credentialsFile)
      }`,
    );
  }
}

/**
 * Connects to NATS, or adopts the connection given. A connection that cannot
 * be made fails with an error that names the servers.
 */
export async function openConnection(
  settings: ConnectSettings,
  name: string,
): Promise<Connected> {
  if (settings.connection !== undefined) {
    return { nc: settings.connection as NatsConnection, owned: false };
  }
  const options: Partial<ConnectionOptions> = {
    name,
    // A pending job must outlive a server restart: never give up.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    ...settings.options as Partial<ConnectionOptions>,
    servers: settings.servers ??
      (settings.options as Partial<ConnectionOptions>)?.servers ??
      DEFAULT_SERVERS,
  };
  if (settings.credentialsFile !== undefined) {
    const creds = await Deno.readFile(settings.credentialsFile);
    options.authenticator = credsAuthenticator(creds);
  }
  try {
    return { nc: await connect(options), owned: true };
  } catch (error) {
    throw new Error(
      `Cannot connect to NATS at ${[options.servers].flat().join(", ")}: ${
        error instanceof Error ? error.message : describe(error)
      }; start nats-server with JetStream (nats-server -js), or pass the right servers`,
      { cause: error },
    );
  }
}

/** What {@linkcode watchConnection} reports, besides its own state. */
export interface ConnectionWatcher {
  /** The connection closed for good, with the error that closed it, if any. */
  onClose(error: Error | undefined): void;
}

/** A watch on a connection, from {@linkcode watchConnection}. */
export interface Watching {
  /** Whether the connection is up now. */
  readonly connected: boolean;
  /** Times the connection came back after dropping. */
  readonly reconnects: number;
  /** Resolves once the connection is up (at once if it is). */
  whenUp(): Promise<void>;
  /** Resolves once the watch has ended. */
  readonly done: Promise<void>;
  /** Stops listening to the status events and to the close. */
  stop(): void;
}

/**
 * Follows the connection's drops and returns, and reports its close, until
 * `stop()` or the close.
 */
export function watchConnection(
  nc: NatsConnection,
  watcher: ConnectionWatcher,
): Watching {
  // The client's status iterator can be stopped, though its type hides it.
  const events = nc.status() as AsyncIterable<{ type: string }> & {
    stop?(): void;
  };
  let stopped = false;
  let up = Promise.withResolvers<void>();
  up.resolve();
  const state = {
    connected: true,
    reconnects: 0,
    whenUp: () => up.promise,
    done: Promise.resolve(),
    stop() {
      stopped = true;
      events.stop?.();
      up.resolve();
    },
  };
  state.done = (async () => {
    for await (const event of events) {
      if (event.type === "disconnect" && state.connected) {
        state.connected = false;
        up = Promise.withResolvers<void>();
      } else if (event.type === "reconnect") {
        state.connected = true;
        state.reconnects++;
        up.resolve();
      }
    }
  })();
  nc.closed().then((error) => {
    state.connected = false;
    up.resolve();
    if (!stopped) watcher.onClose(error ?? undefined);
  });
  return state;
}

/** Settings of {@linkcode publishDurably}. */
export interface DurablePublish {
  headers: MsgHdrs;
  /** A message id: the stream stores a message retried after a drop once. */
  msgID?: string;
  /** Whether to stop trying (the work it carries was withdrawn). */
  abandoned?(): boolean;
}

/**
 * Publishes to a stream and waits for the server's acknowledgement, across
 * drops of the connection: while it is down, waits for it to come back, and
 * retries after a lost acknowledgement. Returns `undefined` when abandoned.
 *
 * @throws The client's error, when the connection closed for good or the
 * server refused the message.
 */
export async function publishDurably(
  js: JetStreamClient,
  watching: Watching,
  subject: string,
  body: Uint8Array,
  settings: DurablePublish,
): Promise<PubAck | undefined> {
  for (;;) {
    await watching.whenUp();
    if (settings.abandoned?.()) return undefined;
    try {
      return await js.publish(subject, body, {
        headers: settings.headers,
        msgID: settings.msgID,
        timeout: 2_000,
      });
    } catch (error) {
      if (!watching.connected && !isClosed(error)) continue;
      if (!isTransient(error)) throw error;
      // JetStream may still be starting on a server that just came back.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function isClosed(error: unknown): boolean {
  return error instanceof Error && /closed/i.test(error.message);
}

function isTransient(error: unknown): boolean {
  return error instanceof Error &&
    /timeout|timed out|disconnect|reconnect|no responders|503/i.test(
      `${error.name} ${error.message}`,
    );
}
