import { INestApplication } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { createExpenseApp, loadExpenseAppSettings } from '../examples/expense-approval/create-expense-app';
import { ConfigurationException } from '../server/src/configuration.exception';
import { request } from './support/http';
import { createTestDatabase, TestDatabase } from './support/test-server';
import { TEST_SECRET, tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

describe('The expense-approval example app', () => {
  let app: INestApplication;
  let baseUrl: string;
  let wsUrl: string;
  const clients: TestClient[] = [];

  const employee = tokenFor('emma');
  const approver = tokenFor('marc');
  const finance = tokenFor('fiona', { claims: { roles: ['finance'] } });
  const stranger = tokenFor('eve');
  const open = async (token: string) => {
    const client = await TestClient.open(wsUrl, token);
    clients.push(client);
    return client;
  };
  const post = (path: string, token: string, body?: unknown) => request(baseUrl, 'POST', path, { token, body });
  const submit = () => post('/expenses', employee, { amount: 120.5, description: 'Train to Lyon', approverId: 'marc' });
  const inbox = async (token: string) => (await request(baseUrl, 'GET', '/notifications', { token })).body.items;

  // The service suite runs this spec again with a fresh PostgreSQL database per test.
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase();
    const databaseUrl = database.url;
    // Read as `npm run example` reads its environment.
    app = await createExpenseApp(loadExpenseAppSettings({ PORT: '0', JWT_SECRET: TEST_SECRET, DATABASE_URL: databaseUrl }), false);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
    wsUrl = `ws://127.0.0.1:${port}`;
    // Finance users subscribe themselves to the finance topic through the module's route.
    expect((await request(baseUrl, 'PUT', '/topics/finance/subscribers/fiona', { token: finance })).status).toBe(204);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await app.close();
    await database.remove();
  });

  it('serves /health and the module routes', async () => {
    expect((await request(baseUrl, 'GET', '/health')).status).toBe(200);
    expect((await request(baseUrl, 'GET', '/notifications/unread-count', { token: employee })).body).toEqual({ count: 0 });
  });

  it('walks the approval flow: approver, then finance (offline, connects later), employee told at each step', async () => {
    const [emma, marc] = [await open(employee), await open(approver)];

    const submitted = await submit();
    expect(submitted.status).toBe(201);
    expect(submitted.body).toEqual({ id: expect.any(String), status: 'awaiting-approval' });
    const expenseId = submitted.body.id;
    expect((await marc.next('notification')).data).toMatchObject({
      type: 'expense.submitted',
      data: { expenseId, employeeId: 'emma' },
      priority: 'high',
    });

    expect((await post(`/expenses/${expenseId}/approve`, stranger)).status).toBe(403);
    expect((await post(`/expenses/${expenseId}/approve`, finance)).status).toBe(403);
    expect((await post(`/expenses/${expenseId}/approve`, employee)).status).toBe(403);

    const approved = await post(`/expenses/${expenseId}/approve`, approver);
    expect(approved.body).toEqual({ id: expenseId, status: 'awaiting-finance' });
    expect((await emma.next('notification')).data).toMatchObject({
      type: 'expense.approved-by-manager',
      data: { expenseId },
    });

    // Fiona was offline: the finance topic send waits in her inbox.
    const fiona = await open(finance);
    expect(fiona.frames[0].data.unreadCount).toBe(1);
    expect((await fiona.next('notification')).data).toMatchObject({
      type: 'expense.awaiting-finance',
      topic: 'finance',
      data: { expenseId, employeeId: 'emma' },
    });

    expect((await post(`/expenses/${expenseId}/approve`, approver)).status).toBe(403);
    expect((await post(`/expenses/${expenseId}/approve`, stranger)).status).toBe(403);
    const final = await post(`/expenses/${expenseId}/approve`, finance);
    expect(final.body).toEqual({ id: expenseId, status: 'approved' });
    const [, last] = await emma.waitFor('notification', 2);
    expect(last.data).toMatchObject({ type: 'expense.approved', data: { expenseId } });
    expect((await post(`/expenses/${expenseId}/approve`, finance)).status).toBe(409);

    const types = (await inbox(employee)).map((item: { type: string }) => item.type);
    expect(types).toEqual(['expense.approved', 'expense.approved-by-manager']);
    await marc.roundTrip();
    expect(marc.all('notification')).toHaveLength(1);
  });

  it('walks the rejection flow: the approver rejects with a reason, the employee is told, finance is not', async () => {
    const emma = await open(employee);
    const expenseId = (await submit()).body.id;
    expect((await post(`/expenses/${expenseId}/reject`, stranger, { reason: 'no' })).status).toBe(403);
    expect((await post(`/expenses/${expenseId}/reject`, approver, {})).status).toBe(400);

    const rejected = await post(`/expenses/${expenseId}/reject`, approver, { reason: 'Book second class' });
    expect(rejected.body).toEqual({ id: expenseId, status: 'rejected' });
    expect((await emma.next('notification')).data).toMatchObject({
      type: 'expense.rejected',
      body: 'Book second class',
      data: { expenseId },
    });
    expect((await post(`/expenses/${expenseId}/approve`, approver)).status).toBe(409);
    const fiona = await open(finance);
    await fiona.roundTrip();
    expect(fiona.all('notification')).toHaveLength(0);
  });

  it('lets the approver approve from the notification itself: its action drives the same approval', async () => {
    const [emma, marc] = [await open(employee), await open(approver)];
    const expenseId = (await submit()).body.id;
    const notification = (await marc.next('notification')).data;
    expect(notification.actions).toEqual([
      { id: 'approve', label: 'Approve', url: null, style: 'primary' },
      { id: 'reject', label: 'Reject', url: null, style: 'danger' },
    ]);
    // Not Eve's notification: 404, and the expense waits.
    expect((await post(`/notifications/${notification.id}/actions/approve`, stranger)).status).toBe(404);

    const taken = await post(`/notifications/${notification.id}/actions/approve`, approver);
    expect(taken).toMatchObject({ status: 200, body: { actionId: 'approve' } });
    expect((await emma.next('notification')).data).toMatchObject({ type: 'expense.approved-by-manager', data: { expenseId } });
    expect((await marc.next('state')).data).toMatchObject({ ids: [notification.id], change: 'actioned', actionId: 'approve' });
    // The expense moved on to finance: the approver's REST route has nothing left to decide.
    expect((await post(`/expenses/${expenseId}/approve`, approver)).status).toBe(403);
    const fiona = await open(finance);
    expect((await fiona.next('notification')).data).toMatchObject({ type: 'expense.awaiting-finance', data: { expenseId } });
    expect((await post(`/notifications/${notification.id}/actions/reject`, approver)).status).toBe(409);
    expect((await inbox(approver))[0]).toMatchObject({ id: notification.id, actionId: 'approve', readAt: expect.any(String) });
  });

  it('lets the approver reject from the notification; the employee is told', async () => {
    const [emma, marc] = [await open(employee), await open(approver)];
    const expenseId = (await submit()).body.id;
    const notification = (await marc.next('notification')).data;
    expect((await post(`/notifications/${notification.id}/actions/reject`, approver)).status).toBe(200);
    expect((await emma.next('notification')).data).toMatchObject({
      type: 'expense.rejected',
      body: 'Rejected from the notification',
      data: { expenseId },
    });
    expect((await post(`/expenses/${expenseId}/approve`, approver)).status).toBe(409);
  });

  it('lets finance reject at its stage', async () => {
    const expenseId = (await submit()).body.id;
    await post(`/expenses/${expenseId}/approve`, approver);
    const emma = await open(employee);
    await emma.next('notification');
    expect((await post(`/expenses/${expenseId}/reject`, approver, { reason: 'changed my mind' })).status).toBe(403);
    expect((await post(`/expenses/${expenseId}/reject`, finance, { reason: 'Over budget' })).body.status).toBe('rejected');
    const [, rejected] = await emma.waitFor('notification', 2);
    expect(rejected.data).toMatchObject({ type: 'expense.rejected', body: 'Over budget', data: { expenseId } });
  });

  it('validates an expense and requires a token', async () => {
    expect((await post('/expenses', employee, { amount: -1, description: 'x', approverId: 'marc' })).status).toBe(400);
    expect((await request(baseUrl, 'POST', '/expenses', { body: {} })).status).toBe(401);
    expect((await post('/expenses/unknown/approve', approver)).status).toBe(404);
  });
});

describe('The expense-approval example settings', () => {
  it('reads DATABASE_URL as the standalone server does: SQLite, in memory, PostgreSQL', () => {
    const read = (url?: string) => loadExpenseAppSettings({ DATABASE_URL: url }).database;
    expect(read()).toEqual({ type: 'sqlite', path: './data/expense-approval.sqlite' });
    expect(read('sqlite::memory:')).toEqual({ type: 'sqlite', path: ':memory:' });
    expect(read('postgres://app:secret@db.internal:5432/expenses')).toEqual({
      type: 'postgres',
      url: 'postgres://app:secret@db.internal:5432/expenses',
    });
    expect(read('postgresql://db.internal/expenses')).toMatchObject({ type: 'postgres' });
  });

  it.each([
    ['mysql://db/expenses', /DATABASE_URL scheme "mysql:" is not supported/],
    ['sqlite:', /sqlite: needs a path/],
    ['postgres://', /DATABASE_URL must name a host/],
  ])("refuses DATABASE_URL=%s with the server's message", (url, message) => {
    expect(() => loadExpenseAppSettings({ DATABASE_URL: url })).toThrow(ConfigurationException);
    expect(() => loadExpenseAppSettings({ DATABASE_URL: url })).toThrow(message);
  });
});
