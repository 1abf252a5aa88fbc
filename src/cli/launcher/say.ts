/** The launcher's own messages, on stderr so the process's stdout stays its own. */
export const say = (message: string) => console.error(`runstudio: ${message}`);
