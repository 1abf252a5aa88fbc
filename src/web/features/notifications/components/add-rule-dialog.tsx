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

/** Which channels the caller may pick, and the e-mail address their form starts with (`fixedTo`: the only one they may use). */
export type ChannelAccess = { email: Permission; webhook: Permission; to: string; fixedTo: boolean };

/** "Add rule": a dialog with the rule's form; `onCreated` receives the rule and a webhook's secret (shown once). */
export function AddRuleDialog({ access, onCreated }: { access: ChannelAccess; onCreated: (rule: NotificationRule, secret: string | null) => void }) {
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
            access={access}
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

function AddRuleForm({ access, onCreated }: { access: ChannelAccess; onCreated: (rule: NotificationRule, secret: string | null) => void }) {
  const { form, set, toggleEvent } = useRuleForm(() => defaultRuleForm(access.email.allowed || !access.webhook.allowed ? 'email' : 'webhook', access.to));
  const { create } = useNotificationMutations();
  const channelAllowed = access[form.channel].allowed;
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
      <ChannelFields form={form} set={set} email={access.email} webhook={access.webhook} fixedTo={access.fixedTo} />
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
