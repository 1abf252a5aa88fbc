import { Check, Copy } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import ui from '../../../components/ui.module.css';
import { knownLaunchTags, LAUNCH_TAG_PREFIX, LAUNCH_TAGS } from './launch-tags.js';
import styles from './run-details.module.css';
import { reportError } from '../../../lib/report-error.js';

/** How the run was launched: command, working directory, host, git commit, and how it ended. */
export function LaunchSection({ tags }: { tags: Record<string, string> }) {
  const id = useId();
  const command = tags[LAUNCH_TAGS.command];
  const commit = tags[LAUNCH_TAGS.gitCommit];
  const others = Object.keys(tags).filter((k) => k.startsWith(LAUNCH_TAG_PREFIX) && !knownLaunchTags.has(k)).sort();
  return (
    <section className={styles.section} aria-labelledby={`${id}-title`}>
      <div className={styles.sectionHead}>
        <h2 id={`${id}-title`}>Launch</h2>
      </div>
      <table className={`${styles.kvTable} ${styles.launchTable}`} aria-labelledby={`${id}-title`}>
        <tbody>
          {command !== undefined && (
            <tr>
              <th scope="row">Command</th>
              <td>
                <CommandLine text={command} />
              </td>
            </tr>
          )}
          <Row label="Working directory" value={tags[LAUNCH_TAGS.cwd]} mono />
          <Row label="Host" value={tags[LAUNCH_TAGS.host]} />
          {commit !== undefined && (
            <tr>
              <th scope="row">Git commit</th>
              <td>
                <code className={styles.mono} title={commit}>
                  {commit.slice(0, 7)}
                </code>
                {tags[LAUNCH_TAGS.gitDirty] === 'true' && <span className={styles.muted}> (uncommitted changes)</span>}
              </td>
            </tr>
          )}
          <Row label="Exit code" value={tags[LAUNCH_TAGS.exitCode]} mono />
          <Row label="Signal" value={tags[LAUNCH_TAGS.signal]} mono />
          {others.map((key) => (
            <Row key={key} label={key.slice(LAUNCH_TAG_PREFIX.length)} value={tags[key]} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Row({ label, value, mono = false }: { label: string; value: string | undefined; mono?: boolean }) {
  if (value === undefined) return null;
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className={mono ? styles.mono : undefined}>{value}</td>
    </tr>
  );
}

/** The command in full, wrapped, with a button that copies it. */
function CommandLine({ text }: { text: string }) {
  const ref = useRef<HTMLElement>(null);
  const [said, setSaid] = useState('');
  useEffect(() => {
    if (said === '') return undefined;
    const timer = setTimeout(() => setSaid(''), 2000);
    return () => clearTimeout(timer);
  }, [said]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setSaid('Copied');
    } catch {
      // No clipboard (a page served over plain HTTP from another host): select it for Ctrl+C.
      const range = document.createRange();
      if (ref.current) range.selectNodeContents(ref.current);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      setSaid('Selected: press Ctrl+C to copy');
    }
  };
  return (
    <div className={styles.commandRow}>
      <code ref={ref} className={styles.command}>
        {text}
      </code>
      <button type="button" className={`${ui.button} ${ui.icon} ${ui.ghost}`} aria-label="Copy command" title="Copy command" onClick={() => {
          copy().catch(reportError);
        }}>
        {said === 'Copied' ? <Check size={15} aria-hidden /> : <Copy size={15} aria-hidden />}
      </button>
      <span role="status" className={`${styles.muted} ${styles.small}`}>
        {said}
      </span>
    </div>
  );
}
