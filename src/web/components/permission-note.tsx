import { useId, type ComponentPropsWithRef, type MouseEvent } from 'react';
import styles from './permission-note.module.css';

/** Whether the person may use a control, and if not why (null while that is not known yet). */
export interface Permission {
  allowed: boolean;
  reason: string | null;
}

/** A permission that allows everything: for a control no role gates. */
export const ALLOWED: Permission = { allowed: true, reason: null };

/**
 * What a control needs to say it is not allowed, the same way everywhere: `aria-disabled`
 * (it stays focusable, so a keyboard or screen reader user can find it and hear why), the
 * reason as its accessible description and as its `title` for mouse users, and its click
 * ignored. Spread `props` on the control and render `note` beside it.
 */
export function usePermissionProps(permission: Permission) {
  const id = useId();
  const { allowed, reason } = permission;
  return {
    props: allowed
      ? {}
      : { 'aria-disabled': true as const, 'aria-describedby': reason ? id : undefined, title: reason ?? undefined, className: styles.gated },
    note: !allowed && reason ? (
      <span id={id} className={styles.hidden}>
        {reason}
      </span>
    ) : null,
  };
}

type GatedButtonProps = ComponentPropsWithRef<'button'> & { permission: Permission };

/** A button a role gates: as a button, and when not allowed see usePermissionProps. */
export function GatedButton({ permission, onClick, className, title, ...rest }: GatedButtonProps) {
  const { props, note } = usePermissionProps(permission);
  const guarded = (event: MouseEvent<HTMLButtonElement>) => {
    if (!permission.allowed) {
      event.preventDefault();
      return;
    }
    onClick?.(event);
  };
  return (
    <>
      <button
        type="button"
        {...rest}
        {...props}
        title={props.title ?? title}
        className={[className, props.className].filter(Boolean).join(' ') || undefined}
        onClick={guarded}
      />
      {note}
    </>
  );
}
