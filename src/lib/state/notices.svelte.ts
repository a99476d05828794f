/**
 * The app-wide notices: failures that have no place of their own on the page (a live query that
 * cannot read the database, a background task) are reported here and shown by the layout, so that
 * none goes unseen. Failures that belong beside a control (a form, a wizard step) are shown there
 * with the same `ErrorNotice` component. Text always comes from `messageOf`.
 */
import { isAbort, messageOf } from '$lib/errors';

export interface Notice {
	id: number;
	/** What was being done, for people ("Loading contacts"). */
	context: string;
	message: string;
}

export class Notices {
	items = $state.raw<Notice[]>([]);
	private next = 0;

	/** Shows a failure; the same context and message is shown once. Returns the notice's id. */
	report(error: unknown, context: string): number {
		const message = messageOf(error);
		const same = this.items.find((n) => n.context === context && n.message === message);
		if (same) return same.id;
		const id = ++this.next;
		this.items = [...this.items, { id, context, message }];
		return id;
	}

	dismiss(id: number): void {
		this.items = this.items.filter((n) => n.id !== id);
	}

	/** Runs `action`; a failure is reported under `context` (a cancellation is not a failure). */
	async attempt<T>(context: string, action: () => Promise<T>): Promise<T | undefined> {
		try {
			return await action();
		} catch (error) {
			if (!isAbort(error)) this.report(error, context);
			return undefined;
		}
	}
}

/** The part of `window` that reports uncaught failures. */
export interface UncaughtSource {
	addEventListener(type: 'error' | 'unhandledrejection', listener: (event: Event) => void): void;
	removeEventListener(type: 'error' | 'unhandledrejection', listener: (event: Event) => void): void;
}

/** Failures of the browser's own that are not the app's and need no one's action. */
const BENIGN = [/^ResizeObserver loop/];

/**
 * Reports every uncaught error and unhandled rejection under `context`, so that no failure is
 * silent. Returns the function that stops watching.
 */
export function watchUncaught(
	target: UncaughtSource,
	into: Notices,
	context = 'Something went wrong (reload the page to try again)'
): () => void {
	const onError = (event: Event) => {
		const { error, message } = event as ErrorEvent;
		const text = String(message ?? '');
		if (BENIGN.some((re) => re.test(text))) return;
		into.report(error ?? text, context);
	};
	const onRejection = (event: Event) => {
		const { reason } = event as PromiseRejectionEvent;
		if (isAbort(reason)) return;
		into.report(reason, context);
	};
	target.addEventListener('error', onError);
	target.addEventListener('unhandledrejection', onRejection);
	return () => {
		target.removeEventListener('error', onError);
		target.removeEventListener('unhandledrejection', onRejection);
	};
}

export const notices = new Notices();
