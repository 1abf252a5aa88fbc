import { useQuery } from '@tanstack/react-query';
import { ChevronDown, ChevronRight, Download, File, Folder } from 'lucide-react';
import { useId, useState } from 'react';
import type { LoggedModel } from '../../../../shared/mlflow/logged-models.js';
import type { ArtifactEntry } from '../../../../shared/mlflow/types.js';
import { modelQueries } from '../../../lib/queries/model-queries.js';
import { LIVE_REFRESH_MS } from '../../../lib/queries/run-queries.js';
import { modelFileText, modelFileUrl } from '../api/model-files.js';
import { ArtifactPreview } from './artifact-preview.js';
import styles from './models-tab.module.css';
import tree from './outputs-tab.module.css';
import { foldersFirst } from './folders-first.js';

interface Selected {
  path: string;
  size: number | undefined;
}

const baseName = (path: string) => path.split('/').pop() ?? path;

/** A logged model's files: a tree whose directories open, and a preview of the chosen file. */
export function ModelFiles({ model }: { model: LoggedModel }) {
  const id = useId();
  const { model_id: modelId, artifact_uri: artifactUri, name } = model.info;
  const uploading = model.info.status === 'LOGGED_MODEL_PENDING';
  const root = useQuery({ ...modelQueries.artifacts(modelId, ''), refetchInterval: uploading ? LIVE_REFRESH_MS : false });
  const [selected, setSelected] = useState<Selected | null>(null);
  return (
    <section aria-labelledby={`${id}-files`} className={styles.part}>
      <h3 id={`${id}-files`}>Files</h3>
      <div className={styles.files}>
        <nav aria-label={`Files of ${name}`} className={tree.tree}>
          {root.error ? (
            <p role="alert" className={tree.none}>
              {root.error.message}
            </p>
          ) : (
            <FileList model={model} entries={root.data?.files} selected={selected?.path} onSelect={setSelected} />
          )}
        </nav>
        <div className={tree.viewer}>
          {selected ? (
            <ArtifactPreview
              key={selected.path}
              path={selected.path}
              url={modelFileUrl(artifactUri, selected.path)}
              size={selected.size}
              textQuery={modelFileText(modelId, artifactUri, selected.path)}
            />
          ) : (
            <p className={tree.none}>Choose a file on the left to preview it.</p>
          )}
        </div>
      </div>
    </section>
  );
}

interface ListProps {
  model: LoggedModel;
  entries: ArtifactEntry[] | undefined;
  selected: string | undefined;
  onSelect: (file: Selected) => void;
}

function FileList({ model, entries, selected, onSelect }: ListProps) {
  if (!entries) return <p className={tree.none}>Loading…</p>;
  if (entries.length === 0) return <p className={tree.none}>{model.info.status === 'LOGGED_MODEL_PENDING' ? 'No files yet: still uploading' : 'No files'}</p>;
  return (
    <ul>
      {foldersFirst(entries).map((entry) =>
        entry.is_dir ? (
          <Directory key={entry.path} model={model} entry={entry} selected={selected} onSelect={onSelect} />
        ) : (
          <li key={entry.path} className={styles.fileRow}>
            <button type="button" className={tree.item} aria-current={selected === entry.path ? 'true' : undefined} onClick={() => onSelect({ path: entry.path, size: entry.file_size })}>
              <File size={14} aria-hidden /> {baseName(entry.path)}
            </button>
            <a className={styles.download} href={modelFileUrl(model.info.artifact_uri, entry.path)} download={baseName(entry.path)} aria-label={`Download ${baseName(entry.path)}`} title={`Download ${entry.path}`}>
              <Download size={14} aria-hidden />
            </a>
          </li>
        ),
      )}
    </ul>
  );
}

function Directory({ model, entry, ...rest }: Omit<ListProps, 'entries'> & { entry: ArtifactEntry }) {
  const [open, setOpen] = useState(false);
  const children = useQuery({ ...modelQueries.artifacts(model.info.model_id, entry.path), enabled: open });
  return (
    <li>
      <button type="button" className={tree.item} aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        {open ? <ChevronDown size={14} aria-hidden /> : <ChevronRight size={14} aria-hidden />}
        <Folder size={14} aria-hidden /> {baseName(entry.path)}
      </button>
      {open && (
        <div className={tree.nested}>
          {children.error ? (
            <p role="alert" className={tree.none}>
              {children.error.message}
            </p>
          ) : (
            <FileList model={model} entries={children.data?.files} {...rest} />
          )}
        </div>
      )}
    </li>
  );
}
