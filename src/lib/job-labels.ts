/** Job statuses as the UI shows them, in the app's language (English: the UI contract's names). */
import type { JobStatus } from '$lib/domain/import-job';
import { m } from '$lib/paraglide/messages';

const LABELS: Record<JobStatus, () => string> = {
	queued: m.status_queued,
	running: m.status_running,
	paused: m.status_paused,
	completed: m.status_completed,
	failed: m.status_failed,
	cancelled: m.status_cancelled
};

export function statusLabel(status: JobStatus): string {
	return LABELS[status]();
}
