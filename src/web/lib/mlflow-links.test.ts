import { describe, expect, it } from 'vitest';
import { mlflowHashTarget } from './mlflow-links.js';

const run = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const other = '0f9e8d7c6b5a49382716f5e4d3c2b1a0';
const href = (hash: string) => {
  const target = mlflowHashTarget(hash);
  return target && target.pathname + target.search;
};

describe('MLflow UI hash links', () => {
  it('leave the URL alone unless the hash is a route', () => {
    expect(mlflowHashTarget('')).toBeNull();
    expect(mlflowHashTarget('#')).toBeNull();
    expect(mlflowHashTarget('#main')).toBeNull();
    expect(mlflowHashTarget('#experiments/1')).toBeNull();
  });

  it('open a run, from the link the client prints or a deeper one', () => {
    expect(mlflowHashTarget(`#/experiments/1/runs/${run}`)).toEqual({ pathname: `/runs/${run}`, search: '' });
    expect(href(`#/experiments/1/runs/${run}/`)).toBe(`/runs/${run}`);
    expect(href(`#/experiments/1/runs/${run}/traces`)).toBe(`/runs/${run}`);
    expect(href(`#/experiments/1/runs/${run}/artifacts/model/MLmodel`)).toBe(`/runs/${run}?tab=outputs`);
    expect(href(`#/experiments/1/runs/${run}/model-metrics`)).toBe(`/runs/${run}?tab=metrics`);
    expect(href(`#/experiments/1/runs/${run}/system-metrics`)).toBe(`/runs/${run}?tab=metrics`);
    expect(href(`#/runs/${run}`)).toBe(`/runs/${run}`);
  });

  it("open an experiment's runs, and the experiments list", () => {
    expect(href('#/experiments/12')).toBe('/experiments/12');
    expect(href('#/experiments/12/')).toBe('/experiments/12');
    expect(href('#/experiments/12/runs')).toBe('/experiments/12');
    expect(href('#/experiments/12/traces?o=1')).toBe('/experiments/12');
    expect(href('#/experiments')).toBe('/experiments');
    expect(href('#/experiments/')).toBe('/experiments');
    expect(href('#/experiments/a%20b')).toBe('/experiments/a%20b');
  });

  it("open an experiment's logged models (MLflow 3) on its Models tab", () => {
    expect(href('#/experiments/12/models')).toBe('/experiments/12/models');
    expect(href('#/experiments/12/models/m-0123456789abcdef0123456789abcdef')).toBe('/experiments/12/models');
  });

  it('compare the runs of a compare link, or open the one run it names', () => {
    expect(href(`#/compare-runs?runs=["${run}","${other}"]&experiments=["1"]`)).toBe(`/compare?runs=${run}%2C${other}`);
    expect(href(`#/compare-runs?runs=%5B%22${run}%22%2C%22${other}%22%5D`)).toBe(`/compare?runs=${run}%2C${other}`);
    expect(href(`#/compare-runs?runs=${run},${other},${run}`)).toBe(`/compare?runs=${run}%2C${other}`);
    expect(href(`#/compare-runs?runs=["${run}"]`)).toBe(`/runs/${run}`);
    expect(href('#/compare-runs?runs=[]')).toBe('/runs');
    expect(href('#/compare-runs?runs=["../x"]')).toBe('/runs');
    expect(href('#/compare-runs')).toBe('/runs');
    expect(href(`#/metric/loss?runs=["${run}"]&experiments=["1"]`)).toBe(`/runs/${run}?tab=metrics`);
    expect(href(`#/metric/loss?runs=["${run}","${other}"]`)).toBe(`/compare?runs=${run}%2C${other}`);
  });

  it('send any other route to the closest page', () => {
    expect(href('#/models')).toBe('/experiments');
    expect(href('#/models/iris/versions/3')).toBe('/experiments');
    expect(href('#/compare-experiments/s?experiments=["1","2"]')).toBe('/experiments');
    expect(href('#/')).toBe('/runs');
    expect(href('#/settings')).toBe('/runs');
    expect(href('#/%E0%A4%A')).toBe('/runs');
  });
});
