/** Types of memory.js (a plain script the Chromium benchmark runs in Node; bench-engines.ts imports it too). */
export function rendererMb(): number;
export function growthMb(samples: number[]): number;
export function startMemorySampler(
	context: unknown,
	page: unknown,
	everyMs?: number
): Promise<{
	phase(name: string): void;
	liveWorkerHeap(): Promise<number>;
	stop(): Promise<
		Record<
			string,
			{ peakPss: number; peakPageHeap: number; peakWorkerHeap: number; samples: number[] }
		>
	>;
}>;
