import { describeCursorMarks } from '../support/cursor-marks-cases';
import { createDatabase, migratedDataSource } from './support/services';

describeCursorMarks('PostgreSQL', async () => {
  const created = await createDatabase();
  const database = await migratedDataSource(created.url);
  return {
    database,
    close: async () => {
      await database.destroy();
      await created.drop();
    },
  };
});
