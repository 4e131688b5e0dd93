// Copyright 2026 the @frontier/generators authors. MIT license.
// The Web Worker floor of the pool benchmarks: a bare Web Worker that adds two numbers
// per message and posts the sum back.

/// <reference lib="deno.worker" />

self.onmessage = (event: MessageEvent<[number, number]>) => {
  const [a, b] = event.data;
  self.postMessage(a + b);
};
