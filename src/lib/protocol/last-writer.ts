/**
 * Last writer wins, the one order every replica (the server, every device) applies to writes of
 * one contact: a later time wins; at the same time, the greater device id wins. Because the order
 * is total and the same everywhere, replicas that have seen the same writes hold the same contact,
 * whatever order the writes reached them in.
 */

/** The version that wrote a contact or a tombstone: the writing device's time and its id. */
export interface Version {
	at: number;
	device: string;
}

/** Whether a write at `version` is newer than `held` (nothing held: always). */
export function newer(version: Version, held: Version | undefined): boolean {
	return !held || version.at > held.at || (version.at === held.at && version.device > held.device);
}

/** Whether a write at `version` beats both what a replica holds for a phone: contact and tombstone. */
export function wins(
	version: Version,
	held: { contact?: Version; tombstone?: Version } | undefined
): boolean {
	return newer(version, held?.contact) && newer(version, held?.tombstone);
}
