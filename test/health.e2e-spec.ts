import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { api } from './utils/api';
import { createTestApp, type TestApp } from './utils/create-app';

describe('health', () => {
  let gw: TestApp;

  beforeEach(async () => {
    gw = await createTestApp();
  });

  afterEach(async () => {
    await gw.close();
  });

  it.each(['/health', '/health/ready'])(
    '%s answers 200 without a key when the database answers',
    async (path) => {
      const res = await api(gw.baseUrl, 'GET', path, undefined, null);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: 'ok',
        info: { database: { status: 'up' } },
        error: {},
        details: { database: { status: 'up' } },
      });
      expect(res.headers.get('cache-control')).toContain('no-store');
    },
  );

  it('/health/live answers 200 without a key and without asking the database', async () => {
    const res = await api(gw.baseUrl, 'GET', '/health/live', undefined, null);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
  });

  it('readiness answers 503 JSON {msg} when the database is gone; liveness still 200', async () => {
    // The failed checks are logged as errors; that is expected here.
    Logger.overrideLogger(false);
    await gw.app.get(DataSource).destroy();
    for (const path of ['/health', '/health/ready']) {
      const res = await api(gw.baseUrl, 'GET', path, undefined, null);
      expect(res.status).toBe(503);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.body).toMatchObject({
        msg: 'the database does not answer',
        status: 'error',
        details: { database: { status: 'down' } },
      });
    }
    expect((await api(gw.baseUrl, 'GET', '/health/live', undefined, null)).status).toBe(200);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await api(gw.baseUrl, 'GET', '/docs-json', undefined, null);
    for (const path of ['/health', '/health/live', '/health/ready', '/metrics']) {
      expect(doc.body.paths[path]?.get).toBeDefined();
    }
  });
});
