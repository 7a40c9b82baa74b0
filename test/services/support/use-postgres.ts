// Jest setup of the `e2e-on-postgres` project: startServer() gives each server a fresh PostgreSQL database.
import { POSTGRES_ADMIN_URL } from './services';

process.env.TEST_POSTGRES_ADMIN_URL = POSTGRES_ADMIN_URL;
