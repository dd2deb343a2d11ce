/**
 * A point one writer stops at until the test lets it go on: `reached` resolves when it gets there, `release`
 * lets it pass. For staging a race in a chosen order: wrap the port the writer calls so that it `waits` before
 * it delegates to the real adapter, run the other writer whole meanwhile, then release the first.
 */
export interface Latch {
  /** Resolves once a writer is waiting at the latch. */
  reached: Promise<void>;
  /** Called by the writer: resolves once the test releases it. */
  wait(): Promise<void>;
  release(): void;
}

export function latch(): Latch {
  let arrived!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    reached,
    wait: () => {
      arrived();
      return released;
    },
    release,
  };
}

/** `call`, made to wait at `at` on its `nth` call (the first by default) before it goes on. */
export function stoppedAt<Args extends unknown[], Result>(
  call: (...args: Args) => Promise<Result>,
  at: Latch,
  nth = 1,
): (...args: Args) => Promise<Result> {
  let calls = 0;
  return async (...args: Args) => {
    if (++calls === nth) await at.wait();
    return call(...args);
  };
}
