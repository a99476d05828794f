/**
 * The sync engine's IO, behind a small interface: real `fetch` in the app, an in-process server
 * (or a faulty one) in tests.
 */
export interface TransportRequest {
	method: 'GET' | 'POST' | 'PUT';
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
