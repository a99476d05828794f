/**
 * The sync engine's IO, behind a small interface: real `fetch` in the app, an in-process server
 * (or a faulty one) in tests.
 */
export interface TransportRequest {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
	url: string;
	headers: Record<string, string>;
	body?: string;
}

export interface TransportResponse {
	status: number;
	headers: { get(name: string): string | null };
	text(): Promise<string>;
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** A transport over `fetch` (no cookies: the API uses a bearer token). */
export function fetchTransport(timeoutMs = 60_000): Transport {
	return async ({ method, url, headers, body }) => {
		const res = await fetch(url, {
			method,
			headers,
			body,
			credentials: 'omit',
			cache: 'no-store',
			signal: AbortSignal.timeout(timeoutMs)
		});
		return res;
	};
}

/** The server's message in an error answer (`{ error }`), else its text, else the status. */
export async function responseMessage(res: TransportResponse): Promise<string> {
	// A body that cannot be read leaves the status code as the message.
	return bodyMessage(res.status, await res.text().catch(() => ''));
}

/** The same message, from an answer's status and the text already read from it. */
export function bodyMessage(status: number, text: string): string {
	try {
		const json = JSON.parse(text) as { error?: unknown };
		if (typeof json.error === 'string') return json.error;
	} catch {
		// Not JSON: the text itself is the message.
	}
	return text.slice(0, 200) || `HTTP ${status}`;
}
