/** Where there is no pool (browsers, edge runtimes): closePool() does nothing, so code runs unchanged everywhere. */
export async function closePool(): Promise<void> {}
