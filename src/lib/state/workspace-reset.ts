/**
 * After this device starts afresh with another workspace, every open tab of the app reloads:
 * their workers hold the old workspace's contacts in memory, and a tab left open would show them.
 */
const CHANNEL = 'callaro-workspace-reset';

/** Tells the other tabs that the device's workspace data was replaced. */
export function announceReset(): void {
	if (typeof BroadcastChannel === 'undefined') return;
	const channel = new BroadcastChannel(CHANNEL);
	channel.postMessage('reset');
	channel.close();
}

/** Reloads this tab when another one announces a reset; returns a function that stops. */
export function reloadOnReset(reload: () => void): () => void {
	if (typeof BroadcastChannel === 'undefined') return () => undefined;
	const channel = new BroadcastChannel(CHANNEL);
	channel.onmessage = () => reload();
	return () => channel.close();
}
