/**
 * Background jobs run one at a time in the order they were queued, off the caller's path (a bus
 * listener must never wait for the store). A job that fails goes to `onError` and the next one runs.
 */
export class SerialWork {
  #tail: Promise<void> = Promise.resolve();

  constructor(private readonly onError: (error: unknown) => void) {}

  enqueue(job: () => Promise<unknown>): void {
    this.#tail = this.#tail.then(job).then(
      () => undefined,
      (error: unknown) => this.onError(error),
    );
  }

  /** Resolves once every job queued so far has finished, including jobs those jobs queued. */
  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.#tail) {
      seen = this.#tail;
      await seen;
    }
  }
}
