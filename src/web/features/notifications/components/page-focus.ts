/** The page's heading, where focus goes when what had it is gone (a deleted rule, a closed dialog without a trigger). */
export const PAGE_TITLE_ID = 'notifications-title';

export function focusPageTitle(): void {
  document.getElementById(PAGE_TITLE_ID)?.focus();
}
