// A UsageError is the user's to fix (unknown name, bad flag, missing toolchain): the CLI prints
// its message as one line, without a stack trace, and exits non-zero.
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
