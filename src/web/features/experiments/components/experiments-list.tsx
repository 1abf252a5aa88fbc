import { useQuery } from '@tanstack/react-query';
import { experimentQueries } from '../api/search-experiments.js';

/** The experiments of the workspace; the run explorer issue turns this into a full view. */
export function ExperimentsList() {
  const { data, error, isPending } = useQuery(experimentQueries.list());
  if (isPending) return <p role="status">Loading experiments…</p>;
  if (error) return <p role="alert">Could not load experiments: {error.message}</p>;
  return (
    <table className="table">
      <caption>Experiments</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">ID</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {data.map((e) => (
          <tr key={e.experiment_id}>
            <td>{e.name}</td>
            <td className="num">{e.experiment_id}</td>
            <td>
              <time dateTime={new Date(e.creation_time).toISOString()} title={new Date(e.creation_time).toLocaleString()}>
                {new Date(e.creation_time).toLocaleDateString()}
              </time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
