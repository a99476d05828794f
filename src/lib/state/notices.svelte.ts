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

export const notices = new Notices();
