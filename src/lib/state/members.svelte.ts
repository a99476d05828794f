/**
 * The members page of Settings, for a workspace's owners: the list, adding a member (whose token
 * is shown this once, with a join link), and revoking one. Fields are private; the component
 * reads the getters and calls the methods.
 */
import { messageOf } from '$lib/errors';
import { m } from '$lib/paraglide/messages';
import type { Member, Role } from '$lib/protocol/sync';
import { joinLink, type MembersClient } from '$lib/sync/members';

export interface NewMember {
	name: string;
	token: string;
	link: string;
}

export class MembersAdmin {
	#members = $state.raw<Member[]>([]);
	#created = $state.raw<NewMember | null>(null);
	#error = $state<string | null>(null);
	#busy = $state(false);

	/**
	 * @param client the backend of the current sync settings (read when called)
	 * @param origin this app's origin, for join links
	 * @param backendUrl the URL a join link carries
	 */
	constructor(
		private readonly client: () => MembersClient,
		private readonly origin: string,
		private readonly backendUrl: () => string
	) {}

	get members(): readonly Member[] {
		return this.#members;
	}
	/** The member just added, with the token the server will never show again. */
	get created(): NewMember | null {
		return this.#created;
	}
	get error(): string | null {
		return this.#error;
	}
	get busy(): boolean {
		return this.#busy;
	}

	async #run(
		failed: (words: { message: string }) => string,
		work: () => Promise<void>
	): Promise<void> {
		this.#busy = true;
		this.#error = null;
		try {
			await work();
		} catch (error) {
			this.#error = failed({ message: messageOf(error) });
		} finally {
			this.#busy = false;
		}
	}

	load(): Promise<void> {
		return this.#run(m.members_read_failed, async () => {
			this.#members = await this.client().list();
		});
	}

	add(name: string, role: Role): Promise<void> {
		if (!name.trim()) {
			this.#error = m.members_name_needed();
			return Promise.resolve();
		}
		return this.#run(m.members_add_failed, async () => {
			const { token } = await this.client().add(name.trim(), role);
			this.#created = {
				name: name.trim(),
				token,
				link: joinLink(this.origin, this.backendUrl(), token)
			};
			this.#members = await this.client().list();
		});
	}

	revoke(memberId: string): Promise<void> {
		return this.#run(m.members_revoke_failed, async () => {
			await this.client().revoke(memberId);
			this.#members = await this.client().list();
		});
	}

	/** Forgets the token shown once (the person has handed it over). */
	dismiss(): void {
		this.#created = null;
	}
}
