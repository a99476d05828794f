/**
 * The device's end of the live channel: `GET {base}/v1/events` read as a stream of Server-Sent
 * Events over `fetch` (an `EventSource` cannot send the bearer header, and a token in a URL ends
 * up in logs). Each `changes` event, and each (re)connection, calls `onChange`: the sync runner
 * then drains, and the drain pulls from the device's cursor. Events carry no data, so one missed
 * or doubled costs at most a pull, never a change.
 *
 * The channel is kept up: a stream that ends or fails (a server restart, a proxy cutting the
 * connection) is opened again after a backoff, and one that goes silent for longer than a few of
 * the server's heartbeats is treated as dead (a half-open connection never ends by itself).
 * Meanwhile the runner polls (`state` is not `live`).
 */
import { backoffDelay } from './backoff';

/**
 * - `connecting`: opening the stream;
 * - `live`: open, events arrive;
 * - `down`: it failed or ended, and is opened again after a delay;
 * - `unsupported`: the backend has no live channel (an older server): polled, and tried again
 *   after `UNSUPPORTED_RETRY_MS`;
 * - `refused`: the token was refused (the drain says why), tried again after a minute.
 */
export type LiveState = 'connecting' | 'live' | 'down' | 'unsupported' | 'refused';

/** A `fetch`: the browser's in the app, an in-process server's in tests. */
export type StreamFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface LiveChannelDeps {
	/** The backend's base URL (no trailing slash) and the token. */
	url: string;
	token: string;
	onChange: () => void;
	onState?: (state: LiveState) => void;
	fetch?: StreamFetch;
	random?: () => number;
	/** The longest backoff between attempts (short: a server restart should be caught quickly). */
	maxDelayMs?: number;
}

/** How long an older backend without the channel is left alone before it is tried again. */
export const UNSUPPORTED_RETRY_MS = 10 * 60_000;
const REFUSED_RETRY_MS = 60_000;
/** The heartbeat assumed until the server names its own. */
const ASSUMED_HEARTBEAT_MS = 15_000;

/** One Server-Sent Event: its `event` name (`message` when none) and data. */
export interface SseEvent {
	event: string;
	data: string;
}

/**
 * Splits Server-Sent Events text, fed in chunks cut anywhere, into events (the HTML standard's
 * rules: lines end with CRLF, LF or CR; `:` starts a comment; a blank line dispatches). Pure.
 */
export class SseParser {
	#buffer = '';
	#event = '';
	#data: string[] = [];

	/** The events completed by `chunk`. */
	push(chunk: string): SseEvent[] {
		this.#buffer += chunk;
		const out: SseEvent[] = [];
		for (;;) {
			const match = /\r\n|\r|\n/.exec(this.#buffer);
			// A lone CR at the end may be the first half of a CRLF: wait for the next chunk.
			if (!match || (match[0] === '\r' && match.index === this.#buffer.length - 1)) break;
			const line = this.#buffer.slice(0, match.index);
			this.#buffer = this.#buffer.slice(match.index + match[0].length);
			if (line === '') {
				if (this.#data.length > 0 || this.#event)
					out.push({ event: this.#event || 'message', data: this.#data.join('\n') });
				this.#event = '';
				this.#data = [];
				continue;
			}
			if (line.startsWith(':')) continue;
			const colon = line.indexOf(':');
			const field = colon < 0 ? line : line.slice(0, colon);
			let value = colon < 0 ? '' : line.slice(colon + 1);
			if (value.startsWith(' ')) value = value.slice(1);
			if (field === 'event') this.#event = value;
			else if (field === 'data') this.#data.push(value);
		}
		return out;
	}
}

/** Opens the channel and keeps it open; returns the function that closes it for good. */
export function openLiveChannel({
	url,
	token,
	onChange,
	onState = () => {},
	fetch: fetchStream = (input, init) => fetch(input, init),
	random = Math.random,
	maxDelayMs = 30_000
}: LiveChannelDeps): () => void {
	let stopped = false;
	/** Failed attempts since the channel was last open (the backoff grows with them). */
	let attempt = 0;
	let current: AbortController | undefined;
	let wake: (() => void) | undefined;
	let wait: ReturnType<typeof setTimeout> | undefined;

	const sleep = (ms: number) =>
		new Promise<void>((done) => {
			wake = done;
			wait = setTimeout(done, ms);
		});

	/** Reads one stream until it ends, fails or goes silent. */
	const follow = async (body: ReadableStream<Uint8Array>, controller: AbortController) => {
		const reader = body.getReader();
		// An abort (the watchdog, or closing) ends the read in any fetch, in-process ones included.
		// A failed cancel means the stream is already gone, which is what the abort wants.
		const cancel = () => void reader.cancel().catch(() => undefined);
		controller.signal.addEventListener('abort', cancel);
		const decoder = new TextDecoder();
		const parser = new SseParser();
		let silentMs = 3 * ASSUMED_HEARTBEAT_MS;
		let silence: ReturnType<typeof setTimeout> | undefined;
		const watch = () => {
			clearTimeout(silence);
			silence = setTimeout(
				() => controller.abort(new Error('The live channel went silent.')),
				silentMs
			);
		};
		watch();
		try {
			for (;;) {
				const { done, value } = await reader.read();
				if (done) return;
				watch();
				for (const event of parser.push(decoder.decode(value, { stream: true }))) {
					if (event.event === 'ready') {
						const heartbeat = Number(
							(JSON.parse(event.data) as { heartbeatMs?: unknown }).heartbeatMs
						);
						if (Number.isFinite(heartbeat) && heartbeat > 0) silentMs = 2 * heartbeat + 5000;
						watch();
						attempt = 0;
						onState('live');
						// Whatever moved while the channel was down is pulled now.
						onChange();
					} else if (event.event === 'changes') onChange();
				}
			}
		} finally {
			clearTimeout(silence);
			controller.signal.removeEventListener('abort', cancel);
		}
	};

	const run = async () => {
		while (!stopped) {
			const controller = new AbortController();
			current = controller;
			onState('connecting');
			let pause: number;
			try {
				const res = await fetchStream(`${url}/v1/events`, {
					headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
					credentials: 'omit',
					cache: 'no-store',
					signal: controller.signal
				});
				if (res.status === 404 || res.status === 405) {
					onState('unsupported');
					pause = UNSUPPORTED_RETRY_MS;
				} else if (res.status === 401 || res.status === 403) {
					onState('refused');
					pause = REFUSED_RETRY_MS;
				} else if (!res.ok || !res.body) {
					throw new Error(`HTTP ${res.status}`);
				} else {
					await follow(res.body, controller);
					throw new Error('The live channel ended.');
				}
				// An unread error body is dropped; a failure to drop it leaves nothing to clean.
				await res.body?.cancel().catch(() => undefined);
			} catch {
				// Every failure here (network, a restart, a silent stream, a 5xx) is the same to the
				// device: the channel is down, the runner polls meanwhile, and it is opened again.
				if (stopped) return;
				onState('down');
				pause = Math.min(maxDelayMs, backoffDelay(attempt++, random()));
			}
			await sleep(pause);
		}
	};
	void run();

	return () => {
		stopped = true;
		clearTimeout(wait);
		wake?.();
		current?.abort();
	};
}
