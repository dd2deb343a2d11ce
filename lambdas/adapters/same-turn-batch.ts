/** Something added to a SameTurnBatch, and how to settle the promise its caller holds. */
export interface Pending<T> {
  value: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers what is added in the same turn of the event loop (the records of a batch, handled side by side)
 * and hands it to `flush` in one go at the end of that turn, so that it can go to AWS in one call. Each
 * `add` returns a promise that `flush` settles for that value alone; a flush that fails rejects, with its
 * error, every add of its turn it had not settled, so that no caller waits out the Lambda's timeout and no
 * rejection goes unhandled (which ends a Lambda's environment: Runtime.UnhandledPromiseRejection).
 */
export class SameTurnBatch<T> {
  private pending: Pending<T>[] = [];
  private scheduled = false;

  constructor(private readonly flush: (batch: Pending<T>[]) => Promise<void>) {}

  add(value: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ value, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        const batch = this.pending;
        this.pending = [];
        this.scheduled = false;
        void this.settle(batch);
      });
    });
  }

  private async settle(batch: Pending<T>[]): Promise<void> {
    try {
      await this.flush(batch);
    } catch (error) {
      // Settling a promise again does nothing: the adds the flush settled keep what it gave them.
      for (const pending of batch) pending.reject(error);
    }
  }
}
