import 'fake-indexeddb/auto';
import { render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { notices } from './notices.svelte';
import LiveProbe from '$support/LiveProbe.svelte';

describe('live()', () => {
	afterEach(() => notices.items.forEach((n) => notices.dismiss(n.id)));

	it('shows the value the query reads', async () => {
		render(LiveProbe, {
			props: { query: () => Promise.resolve('Ada'), context: 'Reading contacts' }
		});
		await waitFor(() => expect(screen.getByTestId('value')).toHaveTextContent('Ada'));
		expect(notices.items).toHaveLength(0);
	});

	it('never fails silently: the failure is kept and reported to the app-wide notices', async () => {
		render(LiveProbe, {
			props: {
				query: () => Promise.reject(new Error('The database is closed')),
				context: 'Reading contacts'
			}
		});
		await waitFor(() =>
			expect(screen.getByTestId('error')).toHaveTextContent('The database is closed')
		);
		expect(notices.items).toEqual([
			expect.objectContaining({ context: 'Reading contacts', message: 'The database is closed' })
		]);
	});
});
