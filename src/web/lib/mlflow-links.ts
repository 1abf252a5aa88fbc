/**
 * MLflow's clients print links into MLflow's own UI, whose routes live in the URL's hash
 * (`http://host:5000/#/experiments/1/runs/<run_id>`). The hash never reaches the server, so
 * the app translates such a link into the studio page closest to it.
 */
export interface StudioTarget {
  /** The studio path, its segments encoded: `/runs/abc`. */
  pathname: string;
  /** `''` or a query string with its `?`: `?runs=a,b`. */
  search: string;
}

/**
 * The studio page for an MLflow UI hash route, or `null` when the hash is not one (empty, or
 * an in-page anchor such as `#main`: only hashes starting with `#/` are routes).
 */
export function mlflowHashTarget(hash: string): StudioTarget | null {
  if (!hash.startsWith('#/')) return null;
  const [route = '', query = ''] = splitOnce(hash.slice(1), '?');
  const segments = route.split('/').filter(Boolean).map(decodeSegment);
  const params = new URLSearchParams(query);
  const [first, id, sub, runId, runTab] = segments;

  if (first === 'experiments') {
    if (id === undefined) return page('/experiments');
    if (sub === 'runs' && runId) return runPage(runId, runTab);
    // MLflow 3's logged models of an experiment (`…/models`, `…/models/:model_id`): its Models tab.
    if (sub === 'models') return page(`/experiments/${encodeURIComponent(id)}/models`);
    return page(`/experiments/${encodeURIComponent(id)}`);
  }
  // `#/runs/:r` is MLflow's direct run link (it finds the experiment itself).
  if (first === 'runs' && id) return runPage(id, sub);
  if (first === 'compare-runs' || first === 'metric') {
    const runs = idList(params.get('runs'));
    if (runs.length === 1) return runPage(runs[0]!, first === 'metric' ? 'model-metrics' : undefined);
    if (runs.length > 1) return page('/compare', { runs: runs.join(',') });
    return page('/runs');
  }
  // The model registry, experiment comparison and prompts have no studio page; experiments is nearest.
  if (first === 'models' || first === 'compare-experiments' || first === 'prompts') return page('/experiments');
  return page('/runs');
}

/** MLflow's run page tabs, as the studio's run page tabs where one matches. */
const runTabs: Record<string, string> = { artifacts: 'outputs', 'model-metrics': 'metrics', 'system-metrics': 'metrics', metrics: 'metrics' };

function runPage(runId: string, mlflowTab: string | undefined): StudioTarget {
  const tab = mlflowTab === undefined ? undefined : runTabs[mlflowTab];
  return page(`/runs/${encodeURIComponent(runId)}`, tab ? { tab } : {});
}

function page(pathname: string, search: Record<string, string> = {}): StudioTarget {
  const query = new URLSearchParams(search).toString();
  return { pathname, search: query ? `?${query}` : '' };
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** MLflow writes run lists as JSON (`["a","b"]`); a plain `a,b` is read too. */
function idList(raw: string | null): string[] {
  if (!raw) return [];
  let items: unknown;
  try {
    items = JSON.parse(raw);
  } catch {
    items = raw.split(',');
  }
  if (!Array.isArray(items)) items = [items];
  const ids = (items as unknown[]).filter((item): item is string => typeof item === 'string').map((item) => item.trim());
  return [...new Set(ids.filter((item) => /^[\w-]{1,64}$/.test(item)))];
}
