import { describe, it } from 'vitest';
import { checkFaultSchedules, FAULT_SCHEDULES } from '$support/fault-schedules';

describe('runner under injected faults', () => {
	it(
		'ends exact for fault schedules 501–1000 of ' + FAULT_SCHEDULES,
		() => checkFaultSchedules(501, 1000),
		300_000
	);
});
