/** Bad input or usage on the command line: printed as one line, exit code 2, never a stack trace. */
export class UsageError extends Error {}
