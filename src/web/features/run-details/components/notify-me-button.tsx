import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { BellRing } from 'lucide-react';
import { Dialog } from 'radix-ui';
import { useId, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import type { NotificationRule } from '../../../../shared/studio/notifications.js';
import { GatedButton, type Permission } from '../../../components/permission-note.js';
import ui from '../../../components/ui.module.css';
import { emailAccess, notificationQueries, OWN_EMAIL_NOTE, useNotificationMutations } from '../../../lib/queries/notification-queries.js';
import dialogStyles from '../../../components/confirm-dialog.module.css';
import styles from './run-actions.module.css';

/** The address of the caller's newest e-mail rule, to prefill; '' when they have none. */
const lastAddress = (rules: NotificationRule[]): string =>
  rules
    .filter((r) => r.mine && r.channel.kind === 'email')
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((r) => (r.channel.kind === 'email' ? r.channel.to : ''))[0] ?? '';

/**
 * "Notify me when this run ends": one e-mail when the run completes, fails or is canceled (a
 * rule on this run alone). A non-admin's goes to their account address, shown but not asked;
 * an admin types one, starting from their own or their last rule's. Disabled, saying why, on a
 * server that sends no e-mail, and for a non-admin without an address.
 */
export function NotifyMeButton({ runId, runName }: { runId: string; runName: string }) {
  // Read once: the run page does not follow deliveries, so it does not poll them.
  const rules = useQuery({ ...notificationQueries.list(), refetchInterval: false });
  const { allowed, reason, to, fixed } = emailAccess(rules.data);
  // Asked once is enough: a second rule on this run would only say the same twice.
  const already = rules.data?.rules.find((r) => r.mine && r.scope.kind === 'run' && r.scope.runId === runId && r.channel.kind === 'email');
  const permission: Permission = already ? { allowed: false, reason: `You already get an e-mail when this run ends (rule “${already.name}”).` } : { allowed, reason };
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <GatedButton permission={permission} className={ui.button} onClick={() => setOpen(true)} aria-haspopup="dialog">
        <BellRing size={15} aria-hidden /> Notify me when this run ends
      </GatedButton>
      <Dialog.Portal>
        <Dialog.Overlay className={dialogStyles.overlay} />
        <Dialog.Content className={dialogStyles.dialog} aria-describedby={undefined}>
          <NotifyMeForm runId={runId} runName={runName} initialTo={fixed ? to : to || lastAddress(rules.data?.rules ?? [])} fixed={fixed} onDone={() => setOpen(false)} />
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** `fixed`: `initialTo` is the caller's account address, the only one they may use: said, not asked. */
function NotifyMeForm({ runId, runName, initialTo, fixed, onDone }: { runId: string; runName: string; initialTo: string; fixed: boolean; onDone: () => void }) {
  const id = useId();
  const [to, setTo] = useState(initialTo);
  const { create } = useNotificationMutations();
  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    const rule = { name: `When ${runName} ends`, scope: { kind: 'run' as const, runId }, events: ['FINISHED' as const, 'FAILED' as const, 'KILLED' as const], channel: { kind: 'email' as const, to: to.trim() } };
    create.mutate(rule, {
      onSuccess: () => {
        onDone();
        toast.success(`You will get an e-mail when “${runName}” ends.`, {
          description: (
            <>
              Change or remove it under <Link to="/notifications">Notifications</Link>.
            </>
          ),
        });
      },
    });
  };
  return (
    <form className={styles.dialogText} onSubmit={handleSubmit}>
      <Dialog.Title className={dialogStyles.title}>Notify me when this run ends</Dialog.Title>
      {fixed ? (
        <>
          <p>
            One e-mail to <strong>{to}</strong> when “{runName}” completes, fails or is canceled.
          </p>
          <p className={ui.field}>{OWN_EMAIL_NOTE}</p>
        </>
      ) : (
        <>
          <p id={`${id}-hint`}>
            One e-mail when “{runName}” completes, fails or is canceled.
          </p>
          <label className={ui.field}>
            E-mail address
            <input className={ui.input} type="email" value={to} onChange={(e) => setTo(e.target.value)} required autoComplete="email" autoFocus aria-describedby={`${id}-hint`} />
          </label>
        </>
      )}
      {create.error && (
        <p className={ui.error} role="alert">
          {create.error.message}
        </p>
      )}
      <div className={dialogStyles.actions}>
        <Dialog.Close asChild>
          <button type="button" className={ui.button}>
            Cancel
          </button>
        </Dialog.Close>
        <button type="submit" className={`${ui.button} ${ui.primary}`} disabled={create.isPending} autoFocus={fixed}>
          Notify me
        </button>
      </div>
    </form>
  );
}
