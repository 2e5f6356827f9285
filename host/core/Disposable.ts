/** The `Disposable` of `@azure/functions-core`: runs its callback once, on the first `dispose()`. */
export class Disposable {
  /** One Disposable that disposes all of `inputs`. */
  static from(...inputs: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => {
      for (const input of inputs) input.dispose();
    });
  }

  #callOnDispose: (() => unknown) | undefined;

  constructor(callOnDispose: () => unknown) {
    this.#callOnDispose = callOnDispose;
  }

  dispose(): unknown {
    const callback = this.#callOnDispose;
    this.#callOnDispose = undefined;
    return callback?.();
  }
}
