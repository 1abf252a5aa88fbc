import { ExplorerPage } from './explorer-page.js';

export function AllRunsRoute() {
  return <ExplorerPage title="All runs" />;
}
