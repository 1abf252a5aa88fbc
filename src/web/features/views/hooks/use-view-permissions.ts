import { roleReason } from '../../../../shared/studio/auth.js';
import type { SavedView } from '../../../../shared/studio/views.js';
import { ALLOWED, type Permission } from '../../../components/permission-note.js';
import { useCan } from '../../../lib/session.js';

/**
 * What the person may do to the open view. The server says whether it is `editable` by them
 * (their own private view, a shared one as a contributor, any as an admin): Update, Rename and
 * Delete follow it. Sharing a private view also needs the contributor role; showing the link
 * of a shared one needs nothing. A reader still saves views of their own, privately.
 */
export function useViewPermissions(current: SavedView | undefined) {
  const contribute = useCan('contributor');
  const edit: Permission = !current || current.editable ? ALLOWED : { allowed: false, reason: roleReason('contributor') };
  const share: Permission = current?.visibility === 'shared' ? ALLOWED : edit.allowed ? contribute : edit;
  return { edit, share, makeShared: contribute };
}
