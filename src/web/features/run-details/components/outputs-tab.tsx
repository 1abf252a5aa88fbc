import { isLive } from '../../../../shared/run-status.js';
import { useQuery } from '@tanstack/react-query';
import { ChevronDown, ChevronRight, File, FileText, Folder } from 'lucide-react';
import { useState } from 'react';
import type { Run } from '../../../../shared/mlflow/types.js';
import { useLiveStreamUp } from '../../../lib/live/use-run-events.js';
import { artifactUrl, runDetailQueries, type ArtifactEntry } from '../api/run-detail-queries.js';
import { ArtifactPreview } from './artifact-preview.js';
import { LogViewer } from './log-viewer.js';
import styles from './outputs-tab.module.css';
import { foldersFirst } from './folders-first.js';

/** Outputs + logs: the run's logs and artifacts as a file tree, and a viewer for the chosen file. */
export function OutputsTab({ run, file, onSelect }: { run: Run; file: string | undefined; onSelect: (file: string) => void }) {
  const runId = run.info.run_id;
  const live = isLive(run.info.status);
  // Log sizes and new logs come by push (`log` events); polled only while the stream is down.
  const pushed = useLiveStreamUp();
  const logs = useQuery({ ...runDetailQueries.logs(runId), refetchInterval: live && !pushed ? 2000 : false });
  const root = useQuery(runDetailQueries.artifacts(runId, ''));
  const [sizes, setSizes] = useState<Record<string, number | undefined>>({});
  const selected = file ?? (logs.data?.[0] ? `log:${logs.data[0].name}` : undefined);
  const choose = (path: string, size?: number) => {
    setSizes((s) => ({ ...s, [path]: size }));
    onSelect(path);
  };
  return (
    <div className={styles.layout}>
      <nav aria-label="Outputs and logs" className={styles.tree}>
        <div className={styles.group}>Logs</div>
        <ul>
          {logs.data?.map((log) => (
            <li key={log.name}>
              <button type="button" className={styles.item} aria-current={selected === `log:${log.name}` ? 'true' : undefined} onClick={() => choose(`log:${log.name}`)}>
                <FileText size={14} aria-hidden /> {log.name}
              </button>
            </li>
          ))}
          {logs.data?.length === 0 && <li className={styles.none}>No logs</li>}
        </ul>
        <div className={styles.group}>Outputs</div>
        {root.error ? (
          <p role="alert" className={styles.none}>{root.error.message}</p>
        ) : (
          <ArtifactList runId={runId} entries={root.data?.files} selected={selected} onSelect={choose} />
        )}
      </nav>
      <div className={styles.viewer}>
        {selected?.startsWith('log:') ? (
          <LogViewer key={selected} runId={runId} name={selected.slice(4)} live={live} />
        ) : selected?.startsWith('artifact:') && root.data ? (
          <ArtifactPreview
            key={selected}
            path={selected.slice(9)}
            url={artifactUrl(root.data.root, selected.slice(9))}
            size={sizes[selected]}
            textQuery={runDetailQueries.artifactText(runId, root.data.root, selected.slice(9))}
          />
        ) : (
          <p className={styles.none}>Choose a log or an output on the left.</p>
        )}
      </div>
    </div>
  );
}

function ArtifactList({ runId, entries, selected, onSelect }: { runId: string; entries: ArtifactEntry[] | undefined; selected: string | undefined; onSelect: (path: string, size?: number) => void }) {
  if (!entries) return <p className={styles.none}>Loading…</p>;
  if (entries.length === 0) return <p className={styles.none}>No outputs</p>;
  return (
    <ul>
      {foldersFirst(entries).map((entry) =>
        entry.is_dir ? (
          <ArtifactDir key={entry.path} runId={runId} entry={entry} selected={selected} onSelect={onSelect} />
        ) : (
          <li key={entry.path}>
            <button type="button" className={styles.item} aria-current={selected === `artifact:${entry.path}` ? 'true' : undefined} onClick={() => onSelect(`artifact:${entry.path}`, entry.file_size)}>
              <File size={14} aria-hidden /> {entry.path.split('/').pop()}
            </button>
          </li>
        ),
      )}
    </ul>
  );
}

function ArtifactDir({ runId, entry, selected, onSelect }: { runId: string; entry: ArtifactEntry; selected: string | undefined; onSelect: (path: string, size?: number) => void }) {
  const [open, setOpen] = useState(selected?.startsWith(`artifact:${entry.path}/`) ?? false);
  const children = useQuery({ ...runDetailQueries.artifacts(runId, entry.path), enabled: open });
  return (
    <li>
      <button type="button" className={styles.item} aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {open ? <ChevronDown size={14} aria-hidden /> : <ChevronRight size={14} aria-hidden />}
        <Folder size={14} aria-hidden /> {entry.path.split('/').pop()}
      </button>
      {open && <div className={styles.nested}><ArtifactList runId={runId} entries={children.data?.files} selected={selected} onSelect={onSelect} /></div>}
    </li>
  );
}
