import { describe, it } from 'vitest';
import { checkFaultSchedules, FAULT_SCHEDULES } from '$support/fault-schedules';

describe('runner under injected faults', () => {
	it(
		'ends exact for fault schedules 1–500 of ' + FAULT_SCHEDULES,
		() => checkFaultSchedules(1, 500),
		300_000
	);
});
