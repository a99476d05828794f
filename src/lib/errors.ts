/** The text shown to people for an error of any kind (an Error's message, else its string). */
export function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
