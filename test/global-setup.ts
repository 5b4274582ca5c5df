/** Filled in by the foundation: provisions Temporal programs and bundles the workflows once per run. */
export default async function setup(): Promise<void> {}
