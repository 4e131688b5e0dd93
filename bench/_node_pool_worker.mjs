// Copyright 2026 the @frontier/generators authors. MIT license.
// The task piscina and tinypool run in the pool benchmarks: add two numbers.

export default function add({ a, b }) {
  return a + b;
}
