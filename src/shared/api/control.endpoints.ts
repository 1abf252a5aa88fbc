import { z } from 'zod';
import { runInfoSchema } from '../mlflow/types.js';
import { attachControlBody, cancelRunResponse, failRunBody, heartbeatResponse, runControlSchema } from '../studio/control.js';
import { endpoint } from './endpoint.js';
import { runIdParams } from './params.js';

/** Run control: Cancel and Mark as failed; launchers take hold of runs, send heartbeats and hear cancels. */
export const control = {
  cancel: endpoint({ method: 'POST', access: 'contributor', base: 'studio', path: '/runs/:id/cancel', params: runIdParams, response: cancelRunResponse }),
  fail: endpoint({ method: 'POST', access: 'contributor', base: 'studio', path: '/runs/:id/fail', params: runIdParams, body: failRunBody, response: z.object({ run_info: runInfoSchema }) }),
  get: endpoint({ method: 'GET', access: 'reader', base: 'studio', path: '/runs/:id/control', params: runIdParams, response: runControlSchema }),
  attach: endpoint({ method: 'POST', access: 'contributor', base: 'studio', path: '/runs/:id/control', params: runIdParams, body: attachControlBody, response: runControlSchema }),
  heartbeat: endpoint({ method: 'POST', access: 'contributor', base: 'studio', path: '/runs/:id/heartbeat', params: runIdParams, response: heartbeatResponse }),
  /** The launcher's run-control stream (server-sent events, see ControlEvent): launchers are contributors, and a reader must not take its few slots. */
  stream: endpoint({ method: 'GET', access: 'contributor', base: 'studio', path: '/runs/:id/control/stream', params: runIdParams, kind: 'sse', response: null }),
};
