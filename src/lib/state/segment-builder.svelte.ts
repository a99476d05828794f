/**
 * The segment builder's state: a name and OR-groups of AND-conditions, with a live count computed
 * in the worker. Every change starts a new count and cancels the one in flight.
 */
import type { CallaroDb } from '$lib/db/database';
import { saveSegment } from '$lib/db/segments-repo';
import {
	segmentDefinitionSchema,
	conditionIssue,
	operatorsFor,
	usesClock,
	VALUELESS,
	type Condition,
	type SegmentClock,
	type Operator,
	type Segment,
	type SegmentDefinition
} from '$lib/domain/segments';
import { conditionIssueLabel } from '$lib/field-labels';
import { m } from '$lib/paraglide/messages';
import type { AppWorker } from '$lib/worker/client';
import { isAbort, messageOf } from '$lib/errors';

export interface SegmentBuilderDeps {
	db: CallaroDb;
	worker: AppWorker;
	debounceMs?: number;
	/** The clock and calling hours clock fields are counted at (the tab's minute clock). */
	clock?: () => SegmentClock;
}

const blank = (): Condition => ({ field: 'first_name', operator: 'equals', value: '' });

export class SegmentBuilder {
	name = $state('');
	groups = $state<Condition[][]>([[blank()]]);
	count = $state<number | null>(null);
	counting = $state(false);
	error = $state<string | null>(null);
	id: string | undefined;

	/** The count in flight; a newer count aborts it. */
	private counting$: AbortController | null = null;
	private timer: ReturnType<typeof setTimeout> | undefined;

	constructor(
		private readonly deps: SegmentBuilderDeps,
		segment?: Segment
	) {
		if (segment) {
			this.id = segment.id;
			this.name = segment.name;
			this.groups = segment.groups.map((g) => g.map((c) => ({ ...c })));
		}
	}

	/** Why a condition with a value cannot be counted (the first such), or null. */
	get problem(): string | null {
		for (const group of this.groups)
			for (const c of group) {
				const issue = c.value.trim() === '' ? null : conditionIssue(c);
				if (issue) return conditionIssueLabel(issue, c);
			}
		return null;
	}

	/** The definition, or null while a condition is incomplete. */
	definition(): SegmentDefinition | null {
		const parsed = segmentDefinitionSchema.safeParse({ groups: $state.snapshot(this.groups) });
		return parsed.success ? parsed.data : null;
	}

	setName(name: string): void {
		this.name = name;
	}

	addCondition(group: number): void {
		this.groups[group].push(blank());
		this.recount();
	}

	addGroup(): void {
		this.groups.push([blank()]);
		this.recount();
	}

	removeCondition(group: number, index: number): void {
		this.groups[group].splice(index, 1);
		if (this.groups[group].length === 0 && this.groups.length > 1) this.groups.splice(group, 1);
		if (this.groups[group]?.length === 0) this.groups[group].push(blank());
		this.recount();
	}

	setField(group: number, index: number, field: string): void {
		const condition = this.groups[group][index];
		condition.field = field as Condition['field'];
		// A field that does not take the chosen operator gets its first one.
		const operators = operatorsFor(field);
		if (!operators.includes(condition.operator)) condition.operator = operators[0];
		this.recount();
	}

	setOperator(group: number, index: number, operator: Operator): void {
		this.groups[group][index].operator = operator;
		if (VALUELESS.includes(operator)) this.groups[group][index].value = '';
		this.recount();
	}

	setValue(group: number, index: number, value: string): void {
		this.groups[group][index].value = value;
		this.recount();
	}

	/** Counts again after a short pause, cancelling a count in flight. */
	recount(): void {
		clearTimeout(this.timer);
		this.timer = setTimeout(() => void this.countNow(), this.deps.debounceMs ?? 150);
	}

	async countNow(): Promise<void> {
		const def = this.definition();
		this.counting$?.abort();
		this.counting$ = null;
		if (!def) {
			this.count = null;
			this.counting = false;
			return;
		}
		const controller = new AbortController();
		this.counting$ = controller;
		this.counting = true;
		try {
			const clock = this.deps.clock?.();
			const n = await this.deps.worker.call(
				(api, task) => api.countSegment(task.taskId, def, clock),
				{
					signal: controller.signal
				}
			);
			if (n !== null) {
				this.count = n;
				this.error = null;
			}
		} catch (error) {
			// A newer count aborted this one: its answer no longer matters.
			if (!isAbort(error)) this.error = messageOf(error);
		} finally {
			if (this.counting$ === controller) {
				this.counting = false;
				this.counting$ = null;
			}
		}
	}

	/** The clock moved a minute: a count that depends on it is counted again. */
	clockMoved(): void {
		const def = this.definition();
		if (def && usesClock(def)) this.recount();
	}

	/** Saves the segment; returns its id, or null with `error` set. */
	async save(): Promise<string | null> {
		const def = this.definition();
		try {
			if (!def) throw new Error(m.condition_incomplete());
			this.id = await saveSegment(this.deps.db, this.name, def, this.id);
			this.error = null;
			return this.id;
		} catch (error) {
			this.error = messageOf(error);
			return null;
		}
	}

	dispose(): void {
		clearTimeout(this.timer);
		this.counting$?.abort();
	}
}
