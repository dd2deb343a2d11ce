import type { Context } from 'aws-lambda';
import { currentInvocation } from './calls-after-timeout.js';

export type FunctionHandler<E, R> = (event: E, context: Context) => Promise<R>;

/** Each fresh environment's modules get a tag no other has: two functions' fresh modules are never shared. */
let generations = 0;

/**
 * How many times one function's environment is reset before it is kept as it is: Node never unloads a module,
 * so each reset keeps the instances it replaces (0.4 MB of heap for ingest's, 2.3 to 3.6 MB for the others').
 */
export const MOST_RESETS = 10;

/**
 * A function's execution environment as Lambda keeps it: init (the handler module evaluated) once, then
 * invocation after invocation in the same module instance, whose module-level state (its clients, the
 * configuration, caches) they share. An invocation that times out resets it, as Lambda resets an environment
 * whose invocation crashed or timed out: the next invocation runs init again, within its own timeout, in a
 * fresh instance of the handler module and of the project modules it imports (fresh-modules.ts). So does an
 * error its handler leaves uncaught (local/crashes.ts), as it ends Lambda's runtime. An init that fails fails
 * its invocation, and the next one tries init again; but a function whose first init, at the start, failed
 * stays failed: each invocation fails with that error (Lambda's init would fail each time as well), and the
 * rest of the runtime goes on.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-invoke
 */
export class ExecutionEnvironment<E, R> {
  private handler: Promise<FunctionHandler<E, R>> | undefined;
  /** The handler once init has ended: called at once, without a turn of the event loop per invocation. */
  private ready: FunctionHandler<E, R> | undefined;
  private resets = 0;
  /** The error its init failed with at the start, if it did: each invocation fails with it. */
  private failedAtStart: { error: unknown } | undefined;

  /** `init(generation)`: the handler of a fresh instance, imported with `taggedWith(url, generation)`. */
  constructor(
    readonly functionName: string,
    private readonly init: (generation: number) => Promise<FunctionHandler<E, R>>,
    private readonly warn: (line: string) => void = (line) => console.warn(line),
    private readonly alarm: (line: string) => void = (line) => console.error(line),
  ) {}

  /**
   * The first init, before any invocation. One that fails (a handler module that throws when imported) is told
   * loudly, and marks the function failed; it does not stop the start. Resolves true if init succeeded.
   */
  async start(): Promise<boolean> {
    try {
      await this.initialise(0);
      return true;
    } catch (error) {
      this.failedAtStart = { error };
      this.alarm(
        `${this.functionName}: ITS INIT FAILED, so each invocation of it fails with this error (the rest runs on); fix it and restart the local runtime:\n${(error as Error)?.stack ?? String(error)}`,
      );
      return false;
    }
  }

  /** One invocation in the current environment, after init if it has none. */
  invoke(event: E, context: Context): Promise<R> {
    if (this.failedAtStart) return Promise.reject(this.failedAtStart.error);
    const environment = this.handler ?? this.initialise(++generations);
    const invocation = currentInvocation();
    // An error it leaves uncaught ends this environment, unless a reset already has.
    if (invocation)
      invocation.resetEnvironment = () => {
        if (this.handler === environment) this.reset();
      };
    if (this.ready) return this.ready(event, context);
    return environment.then((handler) => handler(event, context));
  }

  private initialise(generation: number): Promise<FunctionHandler<E, R>> {
    const initialising = this.init(generation);
    this.handler = initialising;
    // A module whose evaluation threw keeps its error under that URL: the next try imports another.
    initialising.then(
      (handler) => {
        if (this.handler === initialising) this.ready = handler;
      },
      () => {
        if (this.handler === initialising) this.handler = undefined;
      },
    );
    return initialising;
  }

  /** After a timeout or a crash: the invocations under way end in the old environment, the next runs init anew. */
  reset(): void {
    if (this.resets === MOST_RESETS) {
      this.warn(
        `${this.functionName}: ${MOST_RESETS} resets (timeouts, crashes), its environment is no longer reset (each reset keeps memory): restart the local runtime for a fresh one`,
      );
      this.resets++;
    }
    if (this.resets > MOST_RESETS) return;
    this.resets++;
    this.handler = undefined;
    this.ready = undefined;
  }
}
