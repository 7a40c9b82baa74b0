import { Column, DataSource, DataSourceOptions, Entity, PrimaryColumn } from 'typeorm';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { HostApps } from './support/host-app';
import { request } from './support/http';
import { createTestDatabase, TestDatabase } from './support/test-server';
import { tokenFor } from './support/tokens';
import { TestClient } from './support/ws-client';

/** The host's own table called `notifications`: what made the module's migrations fail before. */
@Entity('notifications')
class HostNotification {
  @PrimaryColumn()
  id: string;

  @Column()
  text: string;
}

/** On PostgreSQL when the services suite sets TEST_POSTGRES_ADMIN_URL, else on SQLite. */
const onPostgres = Boolean(process.env.TEST_POSTGRES_ADMIN_URL);

describe('Table names apart from the host (option tables)', () => {
  const hosts = new HostApps();
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await hosts.closeAll();
    await database.remove();
  });
  afterAll(() => hosts.remove());

  const databaseOptions = (): Partial<DataSourceOptions> =>
    onPostgres ? { type: 'postgres', url: database.url } : { type: 'better-sqlite3', database: database.path };

  /** SQL run on the database before the host boots, as the host's own migrations would have. */
  async function beforeBoot(sql: string): Promise<void> {
    if (!onPostgres) {
      const sqlite = new Database(database.path);
      sqlite.exec(sql);
      sqlite.close();
      return;
    }
    const client = new Client({ connectionString: database.url });
    await client.connect();
    await client.query(sql);
    await client.end();
  }

  async function tablesOf(host: Awaited<ReturnType<HostApps['boot']>>): Promise<string[]> {
    const dataSource = host.app.get(DataSource);
    const rows: Array<{ name: string }> = onPostgres
      ? await dataSource.query(
          `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`,
        )
      : await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
    return rows.map(({ name }) => name).sort();
  }

  it('prefixes every table, beside a host table of the same name, and delivers and lists as ever', async () => {
    await beforeBoot(`CREATE TABLE notifications (id varchar PRIMARY KEY, text varchar NOT NULL)`);
    const host = await hosts.boot({ tables: { prefix: 'acme_' }, entities: [HostNotification], database: databaseOptions() });
    const tables = await tablesOf(host);
    const schema = onPostgres ? 'public.' : '';
    expect(tables).toEqual(
      expect.arrayContaining(
        ['notifications', 'acme_notifications', 'acme_notification_recipients', 'acme_notification_topic_subscriptions'].map(
          (t) => schema + t,
        ),
      ),
    );

    const client = await TestClient.connect(`${host.wsUrl}/live?access_token=${tokenFor('buyer')}`);
    await client.next('ready');
    const order = await request(host.baseUrl, 'POST', '/orders');
    expect((await client.next('notification')).data).toMatchObject({ id: order.body.id, type: 'order.created' });
    const listed = await request(host.baseUrl, 'GET', '/notifications', { token: tokenFor('buyer') });
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([order.body.id]);
    await client.close();

    // The host's own table is untouched: still its own columns, still empty.
    const dataSource = host.app.get(DataSource);
    expect(await dataSource.getRepository(HostNotification).count()).toBe(0);
  });

  (onPostgres ? it : it.skip)('puts the tables in a PostgreSQL schema of their own', async () => {
    await beforeBoot(`CREATE SCHEMA notify; CREATE TABLE notifications (id varchar PRIMARY KEY, text varchar NOT NULL)`);
    const host = await hosts.boot({
      tables: { schema: 'notify', prefix: 'n_' },
      entities: [HostNotification],
      database: databaseOptions(),
    });
    const tables = await tablesOf(host);
    expect(tables).toEqual(expect.arrayContaining(['public.notifications', 'notify.n_notifications', 'notify.n_notification_recipients']));
    expect(tables.filter((name) => name.startsWith('public.n_'))).toEqual([]);

    const client2 = await TestClient.connect(`${host.wsUrl}/live?access_token=${tokenFor('buyer')}`);
    await client2.next('ready');
    const order = await request(host.baseUrl, 'POST', '/orders');
    expect((await client2.next('notification')).data.id).toBe(order.body.id);
    expect((await request(host.baseUrl, 'GET', '/notifications/unread-count', { token: tokenFor('buyer') })).body).toEqual({ count: 1 });
    await client2.close();
  });

  it('refuses a prefix that is not a plain identifier, naming the option', async () => {
    await expect(hosts.boot({ tables: { prefix: 'acme-"; DROP' }, database: databaseOptions() })).rejects.toThrow(/tables\.prefix must be/);
  });
});
