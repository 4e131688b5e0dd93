// Copyright 2026 the @frontier/generators authors. MIT license.
// The floor of the mechanism WorkerPool uses: a bare `node:worker_threads`
// thread that adds two numbers per message and posts the sum back. It uses
// the Web Worker globals such a thread has, as the pool's worker script does.

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<[number, number]>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (event) => {
  const [a, b] = event.data;
  scope.postMessage(a + b);
};
