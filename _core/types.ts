// Copyright 2026 the @frontier/generators authors. MIT license.
// Types shared by the public modules, declared once and re-exported by each
// module that uses them in its signatures.

/**
 * The parameter types of a function type: `Parameters<F>` without its
 * constraint, so it also applies to `M[K]` for a generic module type `M`.
 */
export type ArgsOf<F> = F extends (...args: infer A) => unknown ? A : never;
