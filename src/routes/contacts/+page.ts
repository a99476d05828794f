import { warmContacts } from '$lib/worker/client';

// The contact index is read while the page starts (or as soon as a link to it is hovered).
export const load = () => {
	warmContacts();
};
