import { ChevronDown } from 'lucide-react';
import { DropdownMenu } from 'radix-ui';
import { useId, useState, type ReactNode } from 'react';
import { GatedButton } from '../../../components/permission-note.js';
import ui from '../../../components/ui.module.css';
import { useViewModel } from '../hooks/use-view-model.js';
import { useViewPermissions } from '../hooks/use-view-permissions.js';
import { Confirm } from '../../../components/confirm-dialog.js';
import { NameDialog, ShareDialog } from './view-dialogs.js';
import styles from './views.module.css';

type Dialog = null | 'save' | 'save-as' | 'rename' | 'delete';

/** A labelled group of the picker: its label is the group's accessible name ("Recent", "My views"). */
function MenuGroup({ label, children }: { label: string; children: ReactNode }) {
  const id = useId();
  return (
    <DropdownMenu.Group aria-labelledby={id}>
      <DropdownMenu.Label id={id} className={styles.menuLabel}>
        {label}
      </DropdownMenu.Label>
      {children}
    </DropdownMenu.Group>
  );
}

/** The view picker and the actions on the open view. */
export function ViewBar({ experimentId, defaultName }: { experimentId?: string | undefined; defaultName: string }) {
  const m = useViewModel(experimentId);
  const [dialog, setDialog] = useState<Dialog>(null);
  const current = m.current;
  const can = useViewPermissions(current);
  const label = current ? current.name : m.loading ? 'Loading view…' : defaultName;
  return (
    <div className={styles.bar} role="group" aria-label="View">
      <DropdownMenu.Root>
        <DropdownMenu.Trigger asChild>
          <button type="button" className={`${ui.button} ${styles.picker}`} aria-label={`View: ${label}`}>
            {label} <ChevronDown size={14} aria-hidden />
          </button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content className={styles.menu} align="start" sideOffset={4}>
            <DropdownMenu.Item className={styles.menuItem} onSelect={() => m.open(null)}>
              {defaultName} <span className={styles.badge}>default</span>
            </DropdownMenu.Item>
            {m.recent.length > 0 && (
              <MenuGroup label="Recent">
                {m.recent.map((v) => (
                  <DropdownMenu.Item key={v.id} className={styles.menuItem} onSelect={() => m.open(v)}>
                    {v.name}
                  </DropdownMenu.Item>
                ))}
              </MenuGroup>
            )}
            <MenuGroup label="My views">
              {m.mine.length === 0 && <div className={styles.menuEmpty}>None yet</div>}
              {m.mine.map((v) => (
                <DropdownMenu.Item key={v.id} className={styles.menuItem} onSelect={() => m.open(v)}>
                  {v.name} <span className={styles.badge}>{v.visibility}</span>
                </DropdownMenu.Item>
              ))}
            </MenuGroup>
            <MenuGroup label="Shared views">
              {m.shared.length === 0 && <div className={styles.menuEmpty}>None yet</div>}
              {m.shared.map((v) => (
                <DropdownMenu.Item key={v.id} className={styles.menuItem} onSelect={() => m.open(v)}>
                  {v.name}
                </DropdownMenu.Item>
              ))}
            </MenuGroup>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {m.dirty && (
        <span className={styles.unsaved} role="status">
          Unsaved changes
        </span>
      )}
      {m.missing && <span role="alert" className={ui.error}>This view cannot be opened: {m.missing}</span>}
      {current ? (
        <>
          {m.dirty && (
            <GatedButton permission={can.edit} className={`${ui.button} ${ui.primary}`} onClick={m.update}>
              Update
            </GatedButton>
          )}
          <button type="button" className={ui.button} onClick={() => setDialog('save-as')}>Save as</button>
          <GatedButton permission={can.edit} className={ui.button} onClick={() => setDialog('rename')}>Rename</GatedButton>
          <GatedButton permission={can.share} className={ui.button} onClick={m.share}>Share view</GatedButton>
          <GatedButton permission={can.edit} className={ui.button} onClick={() => setDialog('delete')}>Delete</GatedButton>
        </>
      ) : (
        <button type="button" className={ui.button} onClick={() => setDialog('save')}>Save view</button>
      )}

      {(dialog === 'save' || dialog === 'save-as') && (
        <NameDialog
          open
          title={dialog === 'save' ? 'Save view' : 'Save as a new view'}
          submitLabel={dialog === 'save' ? 'Save view' : 'Save as new view'}
          initialName={dialog === 'save-as' && current ? `${current.name} (copy)` : ''}
          askVisibility
          sharePermission={can.makeShared}
          onClose={() => setDialog(null)}
          onSubmit={(name, visibility) => m.save(name, visibility)}
        />
      )}
      {dialog === 'rename' && current && (
        <NameDialog open title="Rename view" submitLabel="Rename" initialName={current.name} askVisibility={false} onClose={() => setDialog(null)} onSubmit={(name) => m.rename(name)} />
      )}
      <Confirm open={dialog === 'delete'} title={`Delete view “${current?.name ?? ''}”?`} confirmLabel="Delete view" cancelLabel="Keep it" danger onCancel={() => setDialog(null)} onConfirm={() => { setDialog(null); m.remove(); }}>
        {current?.visibility === 'shared' ? 'It is shared: it disappears for everyone in the workspace.' : 'Only this saved view is deleted; no run is touched.'}
      </Confirm>
      <Confirm
        open={m.conflict !== null}
        title="This view changed since you opened it"
        confirmLabel="Save as new view"
        cancelLabel="Reload view"
        onCancel={m.reload}
        onConfirm={() => { m.clearConflict(); setDialog('save-as'); }}
      >
        {m.conflict}
      </Confirm>
      <Confirm
        open={m.blocker.status === 'blocked'}
        title="Discard unsaved changes?"
        confirmLabel="Discard changes"
        cancelLabel="Stay"
        onCancel={() => m.blocker.reset?.()}
        onConfirm={() => m.blocker.proceed?.()}
      >
        The view “{current?.name}” has changes that are not saved. Update it first to keep them.
      </Confirm>
      <ShareDialog link={m.shareLink} onClose={m.closeShare} />
    </div>
  );
}
