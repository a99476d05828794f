/** Types of bench-mount.js (a plain script the benchmark runs in Node; bench-engines.ts imports it). */
export function benchMount(): string[];
