/** Types of free-port.js (a plain script the measuring scripts run in Node; tests import it too). */
export function freePort(): Promise<number>;
