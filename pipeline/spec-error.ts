// The one error type for a spec that cannot be drawn: its message is written for the user. In its own
// module so every part of the pipeline can throw it without importing the spec module back.
export class SpecError extends Error {}
