import { LAUNCH_TAGS } from '../../../../shared/studio/control.js';

export { LAUNCH_TAG_PREFIX, LAUNCH_TAGS } from '../../../../shared/studio/control.js';

/** Launch tags the Launch section shows by name; other `runstudio.launch.*` keys show under their own names. */
export const knownLaunchTags: ReadonlySet<string> = new Set<string>(Object.values(LAUNCH_TAGS));
