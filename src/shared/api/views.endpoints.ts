import { z } from 'zod';
import { createViewBody, deleteViewQuery, savedViewSchema, updateViewBody, viewSummarySchema } from '../studio/views.js';
import { endpoint } from './endpoint.js';
import { emptyResponse } from './params.js';

const viewParams = z.object({ id: z.string() });

/** Saved views: the explorer's state under a name, private or shared. */
export const views = {
  list: endpoint({ method: 'GET', access: 'reader', base: 'studio', path: '/views', response: z.object({ mine: z.array(viewSummarySchema), shared: z.array(viewSummarySchema) }) }),
  create: endpoint({ method: 'POST', access: 'reader', base: 'studio', path: '/views', body: createViewBody, status: 201, response: savedViewSchema }),
  get: endpoint({ method: 'GET', access: 'reader', base: 'studio', path: '/views/:id', params: viewParams, response: savedViewSchema }),
  /** A save of an older version than stored is a 409. */
  update: endpoint({ method: 'PUT', access: 'reader', base: 'studio', path: '/views/:id', params: viewParams, body: updateViewBody, response: savedViewSchema }),
  delete: endpoint({ method: 'DELETE', access: 'reader', base: 'studio', path: '/views/:id', params: viewParams, query: deleteViewQuery, response: emptyResponse }),
};
