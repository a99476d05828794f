/** Writes `rows` realistic contacts to `path`; resolves how many rows have a usable phone. */
export function writeContactsCsv(path: string, rows: number): Promise<number>;
