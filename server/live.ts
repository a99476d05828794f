/**
 * The live channel: `GET /v1/events` answers an authenticated request with a stream of
 * Server-Sent Events, so a device learns within milliseconds that its workspace's feed moved and
 * pulls from its cursor. The stream carries no contact data, only "the feed moved": what a device
 * receives is still what `/v1/changes` gives it, in order, from its own cursor, so a missed or
 * repeated event costs at most one pull and never a change.
 *
 * Why a stream over an ordinary request (read with `fetch`) and not `EventSource`: an
 * `EventSource` cannot send the bearer header, and a token in a URL ends up in access logs.
 *
 * Events:
 * - `ready` first, with `{ heartbeatMs }`: the device treats the channel as dead (and reconnects)
 *   when nothing at all arrives for a few heartbeats;
 * - `changes` whenever a batch or a custom field definition of the workspace commits, in any
 *   process sharing the database (a `FeedSignal`);
 * - a comment line every `heartbeatMs`, so proxies that cut idle connections (commonly after 60 s)
 *   see traffic. At each heartbeat the token is looked up again: a revoked token's stream ends
 *   within one heartbeat, as its requests are refused from the next one.
 */
import pg from 'pg';

/** Tells a workspace's listeners, in every process on the same database, that its feed moved. */
export interface FeedSignal {
	/** Says that workspace `workspaceId`'s feed moved: call it after the write is durable. */
	publish(workspaceId: string): void;
	/** Calls `listener` whenever the workspace's feed may have moved; returns the unsubscribe. */
	subscribe(workspaceId: string, listener: () => void): () => void;
	close(): Promise<void>;
}

/** Listeners in one process: the SQLite server's signal (one process owns its database file). */
export function createLocalSignal(): FeedSignal & { publishAll(): void } {
	const listeners = new Map<string, Set<() => void>>();
	const call = (set: Iterable<() => void>) => {
		for (const listener of [...set]) listener();
	};
	return {
		publish: (workspaceId) => call(listeners.get(workspaceId) ?? []),
		publishAll: () => {
			for (const set of listeners.values()) call(set);
		},
		subscribe(workspaceId, listener) {
			let set = listeners.get(workspaceId);
			if (!set) listeners.set(workspaceId, (set = new Set()));
			set.add(listener);
			return () => {
				set.delete(listener);
				if (set.size === 0) listeners.delete(workspaceId);
			};
		},
		close: () => {
			listeners.clear();
			return Promise.resolve();
		}
	};
}

/** The PostgreSQL channel every server process LISTENs on; the payload is a workspace id. */
export const PG_CHANNEL = 'callaro_feed';

/**
 * A signal across every server process on one PostgreSQL database (LISTEN/NOTIFY): a batch
 * applied by one process reaches the streams held by all. One dedicated connection per process
 * listens and notifies. When it drops, it is made again with a growing delay; once it is back,
 * every listener is called, since notifications sent while it was down are not replayed.
 */
export async function openPgSignal(
	connectionString: string,
	onError: (error: unknown) => void = () => {}
): Promise<FeedSignal> {
	const local = createLocalSignal();
	let client: pg.Client | undefined;
	let closed = false;
	let delay = 500;
	let retry: ReturnType<typeof setTimeout> | undefined;

	const connect = async (): Promise<void> => {
		const next = new pg.Client({ connectionString });
		next.on('notification', (message) => {
			if (message.channel === PG_CHANNEL && message.payload) local.publish(message.payload);
		});
		next.on('error', (error) => {
			onError(error);
			lost(next);
		});
		next.on('end', () => lost(next));
		await next.connect();
		await next.query(`LISTEN ${PG_CHANNEL}`);
		if (closed) {
			await next.end();
			return;
		}
		client = next;
		delay = 500;
	};
	const lost = (which: pg.Client) => {
		if (client !== which || closed) return;
		client = undefined;
		reconnect();
	};
	const reconnect = () => {
		clearTimeout(retry);
		retry = setTimeout(() => {
			connect().then(
				() => local.publishAll(),
				(error: unknown) => {
					onError(error);
					delay = Math.min(delay * 2, 30_000);
					reconnect();
				}
			);
		}, delay);
	};

	await connect();
	return {
		publish(workspaceId) {
			if (!client) {
				// Without the shared connection, this process's own streams still hear of it; the
				// others are called when their connection comes back.
				local.publish(workspaceId);
				return;
			}
			client.query('SELECT pg_notify($1, $2)', [PG_CHANNEL, workspaceId]).catch((error) => {
				onError(error);
				local.publish(workspaceId);
			});
		},
		subscribe: local.subscribe,
		async close() {
			closed = true;
			clearTimeout(retry);
			const last = client;
			client = undefined;
			await local.close();
			await last?.end();
		}
	};
}

/** How often a stream sends a heartbeat when nothing else happens. */
export const DEFAULT_HEARTBEAT_MS = 15_000;
/** Bytes a slow reader may leave unread before its stream is ended (it reconnects and pulls). */
const MAX_UNREAD_BYTES = 64 * 1024;

const encoder = new TextEncoder();

/** The open streams of one server process, over its feed signal. */
export class LiveHub {
	readonly #streams = new Set<() => void>();

	constructor(
		readonly signal: FeedSignal,
		readonly heartbeatMs = DEFAULT_HEARTBEAT_MS
	) {}

	/** How many streams are open. */
	get connections(): number {
		return this.#streams.size;
	}

	/**
	 * A stream of the workspace's events. `stillAllowed` is asked at every heartbeat (false ends
	 * the stream: the token was revoked); when it fails (the database is unreachable) the stream
	 * goes on, since a device cut off then would only reconnect into the same failure.
	 */
	open(workspaceId: string, stillAllowed: () => Promise<boolean>): Response {
		const streams = this.#streams;
		const heartbeatMs = this.heartbeatMs;
		let end = () => {};
		const body = new ReadableStream<Uint8Array>({
			start: (controller) => {
				let ended = false;
				let queued = false;
				const send = (text: string) => {
					if (ended) return;
					if ((controller.desiredSize ?? 0) < -MAX_UNREAD_BYTES) return end();
					controller.enqueue(encoder.encode(text));
				};
				// Several commits in one turn of the event loop are one event: the pull that follows
				// reads them all.
				const moved = () => {
					if (queued) return;
					queued = true;
					setTimeout(() => {
						queued = false;
						send('event: changes\ndata: {}\n\n');
					}, 0);
				};
				const unsubscribe = this.signal.subscribe(workspaceId, moved);
				const beat = setInterval(() => {
					stillAllowed().then(
						(allowed) => (allowed ? send(': heartbeat\n\n') : end()),
						() => send(': heartbeat\n\n')
					);
				}, heartbeatMs);
				end = () => {
					if (ended) return;
					ended = true;
					clearInterval(beat);
					unsubscribe();
					streams.delete(end);
					try {
						controller.close();
					} catch {
						// Already closed or cancelled by the reader: nothing is left to end.
					}
				};
				streams.add(end);
				send(`event: ready\ndata: ${JSON.stringify({ heartbeatMs })}\n\n`);
			},
			// The device went away (the socket closed): drop its listener and timer.
			cancel: () => end()
		});
		return new Response(body, {
			headers: {
				'Content-Type': 'text/event-stream; charset=utf-8',
				'Cache-Control': 'no-cache, no-store, no-transform',
				// nginx buffers proxied responses unless told not to; a buffered event arrives late.
				'X-Accel-Buffering': 'no'
			}
		});
	}

	/** Ends every stream (the server is stopping); devices reconnect to the next process. */
	close(): void {
		for (const end of [...this.#streams]) end();
	}
}
