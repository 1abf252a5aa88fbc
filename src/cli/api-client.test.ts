import { describe, expect, it } from 'vitest';
import { authHeaders } from './api-client.js';
import { childEnv } from './launcher/child-env.js';

describe('the CLI’s credentials', () => {
  it('sends RUNSTUDIO_TOKEN, else MLFLOW_TRACKING_TOKEN, else basic auth, else nothing', () => {
    expect(authHeaders({ RUNSTUDIO_TOKEN: 'a', MLFLOW_TRACKING_TOKEN: 'b' })).toEqual({ authorization: 'Bearer a' });
    expect(authHeaders({ RUNSTUDIO_TOKEN: '', MLFLOW_TRACKING_TOKEN: 'b', MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p' })).toEqual({ authorization: 'Bearer b' });
    expect(authHeaders({ MLFLOW_TRACKING_USERNAME: 'u', MLFLOW_TRACKING_PASSWORD: 'p:q' })).toEqual({ authorization: `Basic ${Buffer.from('u:p:q').toString('base64')}` });
    expect(authHeaders({ MLFLOW_TRACKING_USERNAME: 'u' })).toEqual({});
    expect(authHeaders({})).toEqual({});
  });

  it('passes a lone RUNSTUDIO_TOKEN to the launched process as MLFLOW_TRACKING_TOKEN, never over one already set', () => {
    const o = { trackingUri: 'http://127.0.0.1:5000', runId: 'r', experimentId: '0' };
    expect(childEnv(o, { RUNSTUDIO_TOKEN: 'a' }).MLFLOW_TRACKING_TOKEN).toBe('a');
    expect(childEnv(o, { RUNSTUDIO_TOKEN: 'a', MLFLOW_TRACKING_TOKEN: 'b' }).MLFLOW_TRACKING_TOKEN).toBe('b');
    expect(childEnv(o, {})).not.toHaveProperty('MLFLOW_TRACKING_TOKEN');
  });
});
