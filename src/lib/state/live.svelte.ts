/**
 * Follows a Dexie query with `liveQuery`: UI state follows the database, not the other way
 * round. `build` runs inside an effect, so the Svelte state it reads (a route parameter, a search
 * box) re-subscribes the query when it changes; it returns the querier itself.
 *
 * A failure is never silent: it is kept in `error` and reported to the app-wide notices under
 * `context`, and the notice goes away when the query reads again.
 */
import { liveQuery } from 'dexie';
import { messageOf } from '$lib/errors';
import { notices } from './notices.svelte';
import { m } from '$lib/paraglide/messages';

export interface Live<T> {
	readonly current: T;
	readonly error: string | null;
	readonly loading: boolean;
}

/** A live query result, as reactive state. Call during component initialisation. */
export function live<T>(
	build: () => () => T | Promise<T>,
	initial: T,
	context: string = m.reading_saved_data()
): Live<T> {
	let current = $state.raw<T>(initial);
	let error = $state<string | null>(null);
	let loading = $state(true);
	$effect(() => {
		const querier = build();
		loading = true;
		let notice: number | undefined;
		const subscription = liveQuery(querier).subscribe({
			next: (value) => {
				current = value;
				error = null;
				loading = false;
				if (notice !== undefined) notices.dismiss(notice);
				notice = undefined;
			},
			error: (e: unknown) => {
				error = messageOf(e);
				loading = false;
				notice = notices.report(e, context);
			}
		});
		return () => subscription.unsubscribe();
	});
	return {
		get current() {
			return current;
		},
		get error() {
			return error;
		},
		get loading() {
			return loading;
		}
	};
}
