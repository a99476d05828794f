import { fireEvent, render, screen } from '@testing-library/svelte';
import { createRawSnippet, tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import VirtualList from './VirtualList.svelte';

const row = createRawSnippet((item: () => unknown) => ({
	render: () => `<span>Row ${String(item())}</span>`
}));

async function scrollTo(list: HTMLElement, top: number) {
	Object.defineProperty(list, 'scrollTop', { value: top, configurable: true });
	await fireEvent.scroll(list);
	// Pages are fetched after the scroll: let them land.
	for (let i = 0; i < 5; i++) await tick();
	await new Promise((r) => setTimeout(r, 0));
	await tick();
}

describe('VirtualList', () => {
	it('reaches every row of a list taller than a browser can lay out', async () => {
		const total = 2_000_000;
		render(VirtualList, {
			total,
			label: 'Rows',
			height: 560,
			rowHeight: 56,
			fetchPage: async (offset: number, limit: number) =>
				Array.from({ length: Math.min(limit, total - offset) }, (_, i) => offset + i),
			row
		});
		const list = screen.getByRole('list', { name: 'Rows' });
		const spacer = list.firstElementChild as HTMLElement;
		// 2M rows × 56 px would be 112M px: the spacer is capped, the scroll range compressed.
		expect(parseFloat(spacer.style.height)).toBeLessThanOrEqual(15_000_000);
		await scrollTo(list, 15_000_000 - 560);
		expect(screen.getByText(`Row ${total - 1}`)).toBeTruthy();
		expect(screen.getAllByRole('listitem').length).toBeLessThan(40);
		await scrollTo(list, (15_000_000 - 560) / 2);
		const middle = Math.floor((total * 56 - 560) / 2 / 56);
		expect(screen.getByText(`Row ${middle}`)).toBeTruthy();
		// The row at the top of the viewport sits at the viewport's top.
		const top = screen.getByText(`Row ${middle}`).parentElement as HTMLElement;
		expect(Math.abs(parseFloat(top.style.top) - (15_000_000 - 560) / 2)).toBeLessThan(56);
	});
});
