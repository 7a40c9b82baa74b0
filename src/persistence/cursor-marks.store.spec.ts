import { describeCursorMarks } from '../../test/support/cursor-marks-cases';
import { migratedSqliteDatabase } from '../../test/support/module-database';

describeCursorMarks('SQLite', async () => {
  const database = await migratedSqliteDatabase();
  return { database, close: () => database.destroy() };
});
