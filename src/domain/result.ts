/** A decision that either holds a value or says, with a code, why it was refused. */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const refuse = <E>(error: E): Result<never, E> => ({ ok: false, error });

/** What a pure decision about a stored document came to: what to write, if anything, and what to tell the caller. */
export interface Decision<T, O> {
  readonly write?: T;
  readonly outcome: O;
}
