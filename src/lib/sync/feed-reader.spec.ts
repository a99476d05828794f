import { describe, expect, it } from 'vitest';
import { FeedReader } from './feed-reader';

/** A feed of `pages` pages, page n after cursor n*10; `fail` pages answer with an error. */
function feed(pages: number, fail: readonly number[] = []) {
	const asked: number[] = [];
	const pending: (() => void)[] = [];
	const ask = (since: number) => {
		asked.push(since);
		const n = since / 10;
		return new Promise<{ page: number; more: boolean }>((resolve, reject) =>
			pending.push(() =>
				fail.includes(n)
					? reject(new Error(`page ${n} failed`))
					: resolve({ page: n, more: n < pages - 1 })
			)
		);
	};
	/** Lets every answer asked so far arrive (and those they ask ahead, in turn). */
	const settle = async () => {
		while (pending.length > 0) {
			pending.shift()?.();
			await new Promise((r) => setTimeout(r, 0));
		}
	};
	const reader = new FeedReader(
		ask,
		(a) => (a.more ? { cursor: (a.page + 1) * 10 } : undefined),
		3
	);
	return { asked, settle, reader };
}

describe('FeedReader', () => {
	it('asks for the pages ahead up to its depth, and hands them out in order', async () => {
		const { asked, settle, reader } = feed(6);
		const first = reader.take(0, undefined, true);
		await settle();
		expect((await first).page).toBe(0);
		// The page taken and, ahead of it, as many as the depth allows.
		expect(asked).toEqual([0, 10, 20, 30]);
		for (let n = 1; n < 6; n++) {
			const next = reader.take(n * 10, undefined, false);
			await settle();
			expect((await next).page).toBe(n);
		}
		// Never past the feed's end, and each page asked for once.
		expect(asked).toEqual([0, 10, 20, 30, 40, 50]);
	});

	it('asks again from a cursor that is not the next page asked ahead', async () => {
		const { asked, settle, reader } = feed(6);
		const first = reader.take(0, undefined, true);
		await settle();
		await first;
		const other = reader.take(40, undefined, false);
		await settle();
		expect((await other).page).toBe(4);
		expect(asked.slice(4)).toEqual([40, 50]);
	});

	it('throws a failure of a page asked ahead at the take of that page, not before', async () => {
		const { settle, reader } = feed(4, [2]);
		const unhandled: unknown[] = [];
		const onUnhandled = (e: unknown) => unhandled.push(e);
		process.on('unhandledRejection', onUnhandled);
		try {
			const first = reader.take(0, undefined, true);
			await settle();
			expect((await first).page).toBe(0);
			expect((await reader.take(10, undefined, false)).page).toBe(1);
			await expect(reader.take(20, undefined, false)).rejects.toThrow('page 2 failed');
			await new Promise((r) => setTimeout(r, 10));
			expect(unhandled).toEqual([]);
		} finally {
			process.off('unhandledRejection', onUnhandled);
		}
	});

	it('drops what it asked ahead on reset', async () => {
		const { asked, settle, reader } = feed(6);
		const first = reader.take(0, undefined, true);
		await settle();
		await first;
		reader.reset();
		const again = reader.take(10, undefined, false);
		await settle();
		expect((await again).page).toBe(1);
		expect(asked.filter((s) => s === 10)).toHaveLength(2);
	});
});
