/**
 * Follows a Dexie query with `liveQuery`: UI state follows the database, not the other way
 * round. `build` runs inside an effect, so the Svelte state it reads (a route parameter, a search
 * box) re-subscribes the query when it changes; it returns the querier itself.
 */
import { liveQuery } from 'dexie';

export interface Live<T> {
	readonly current: T;
	readonly error: string | null;
	readonly loading: boolean;
}

/** A live query result, as reactive state. Call during component initialisation. */
export function live<T>(build: () => () => T | Promise<T>, initial: T): Live<T> {
	let current = $state.raw<T>(initial);
	let error = $state<string | null>(null);
	let loading = $state(true);
	$effect(() => {
		const querier = build();
		loading = true;
		const subscription = liveQuery(querier).subscribe({
			next: (value) => {
				current = value;
				error = null;
				loading = false;
			},
			error: (e: unknown) => {
				error = e instanceof Error ? e.message : String(e);
				loading = false;
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
