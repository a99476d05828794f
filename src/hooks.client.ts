/**
 * Runs once when the app starts in the browser, before the first page's code is fetched: a page
 * that shows contacts (the list, segments) has the worker start and read the contact index now,
 * while the page's own modules load, rather than from the page's `load`, which runs only after
 * them. On a cold open of the contacts list that overlap is most of the page's start-up.
 */
import type { ClientInit } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { warmContacts } from '$lib/worker/client';

/** The pages whose `load` warms the index too (a contact's own page reads one record, and does not). */
const CONTACTS = resolve('/contacts');
const SEGMENTS = resolve('/segments');

export const init: ClientInit = () => {
	const path = location.pathname.replace(/\/$/, '');
	if (path === CONTACTS || path === SEGMENTS || path.startsWith(`${SEGMENTS}/`)) warmContacts();
};
