import { Plus } from 'lucide-react';
import { Dialog } from 'radix-ui';
import { useState, type FormEvent } from 'react';
import type { NotificationRule } from '../../../../shared/studio/notifications.js';
import type { Permission } from '../../../components/permission-note.js';
import ui from '../../../components/ui.module.css';
import { useNotificationMutations } from '../../../lib/queries/notification-queries.js';
import { defaultRuleForm, ruleBody, useRuleForm } from '../hooks/use-rule-form.js';
import styles from './notifications.module.css';
import { ChannelFields, EventFields, ScopeFields } from './rule-form-fields.js';

type ChannelPermissions = { email: Permission; webhook: Permission };

/** "Add rule": a dialog with the rule's form; `onCreated` receives the rule and a webhook's secret (shown once). */
export function AddRuleDialog({ permissions, onCreated }: { permissions: ChannelPermissions; onCreated: (rule: NotificationRule, secret: string | null) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <button type="button" className={`${ui.button} ${ui.primary}`}>
          <Plus size={15} aria-hidden /> Add rule
        </button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className={styles.overlay} />
        <Dialog.Content className={styles.dialog} aria-describedby={undefined}>
          {/* Mounted only while open: each opening starts from a new form. */}
          <AddRuleForm
            permissions={permissions}
            onCreated={(rule, secret) => {
              setOpen(false);
              onCreated(rule, secret);
            }}
          />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function AddRuleForm({ permissions, onCreated }: { permissions: ChannelPermissions; onCreated: (rule: NotificationRule, secret: string | null) => void }) {
  const { form, set, toggleEvent } = useRuleForm(() => defaultRuleForm(permissions.email.allowed || !permissions.webhook.allowed ? 'email' : 'webhook'));
  const { create } = useNotificationMutations();
  const channelAllowed = permissions[form.channel].allowed;
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!channelAllowed) return;
    create.mutate(ruleBody(form), { onSuccess: ({ rule, secret }) => onCreated(rule, secret) });
  };
  return (
    <form className={styles.form} onSubmit={handleSubmit}>
      <Dialog.Title className={styles.dialogTitle}>Add rule</Dialog.Title>
      <label className={ui.field}>
        Rule name
        <input className={ui.input} value={form.name} onChange={(e) => set('name', e.target.value)} required maxLength={200} autoFocus placeholder="Failed runs of nightly" />
      </label>
      <ScopeFields form={form} set={set} />
      <EventFields form={form} set={set} toggleEvent={toggleEvent} />
      <ChannelFields form={form} set={set} email={permissions.email} webhook={permissions.webhook} />
      {create.error && (
        <p className={ui.error} role="alert">
          {create.error.message}
        </p>
      )}
      <div className={styles.formActions}>
        <Dialog.Close asChild>
          <button type="button" className={ui.button}>
            Cancel
          </button>
        </Dialog.Close>
        <button type="submit" className={`${ui.button} ${ui.primary}`} disabled={create.isPending || !channelAllowed}>
          Add rule
        </button>
      </div>
    </form>
  );
}
