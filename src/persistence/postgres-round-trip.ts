import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { PostgresValue, valueLiteral } from './postgres-literals';
import { numberedPlaceholders } from './sql';
import { tableNamingOf } from './table-naming';

/** A statement for executeInOneRoundTrip: `?` placeholders and their values. */
export interface PostgresStatement {
  text: string;
  values: readonly PostgresValue[];
}

type Rows = Array<Record<string, any>>;

/** The part of a node-postgres client used here. */
interface PgClient {
  query(text: string): Promise<{ rows: Rows } | Array<{ rows: Rows }>>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** PostgreSQL's "prepared statement … does not exist" (a host ran DISCARD ALL on the connection). */
const UNKNOWN_STATEMENT = '26000';
/** "prepared statement … already exists": prepared by an earlier call whose bookkeeping was lost. */
const DUPLICATE_STATEMENT = '42P05';

/**
 * With `genericPlans`, the message's first statement: its EXECUTEs use the plan made once at
 * PREPARE time. On its own PostgreSQL plans a prepared statement again for each execution's
 * values (a custom plan) while it estimates that pays, and for the send's statement it always
 * did: the user list is an array, which a generic plan counts as 100 rows, so the generic plan
 * looked dear. For a send to one user that planning was 300–430 µs of PostgreSQL's CPU, more
 * than half of all it spent on the send (bench/micro/pg-send-parts.js). The generic plan takes
 * the same indexes, and finds a row's previous cursor by one backward step of the (user_id,
 * cursor) index. It is not for long lists: a custom plan looks a value up in a constant array
 * by hashing it, a generic one reads a parameter array from the start each time, so its cost
 * grows with the square of the list. SET LOCAL ends with the message's transaction.
 */
const GENERIC_PLANS = 'SET LOCAL plan_cache_mode = force_generic_plan';

/** The statements prepared on each pooled connection, by name. */
const preparedOn = new WeakMap<PgClient, Set<string>>();

/**
 * Runs statements in one round trip: one simple-protocol message of `EXECUTE`s, which
 * PostgreSQL runs as one transaction, each statement with a snapshot of its own (a lock one
 * takes is held to the end, and the next sees every row committed before it got it). The
 * simple protocol takes no parameters, so each statement is prepared once per pooled
 * connection (PREPARE, its own round trip, the first time only) and executed with its values
 * written in as literals: parsed once per connection, not per send, and with `genericPlans`
 * planned once too (GENERIC_PLANS). Returns each statement's rows.
 * Statements here never hold `?` inside a string literal of their own.
 */
export async function executeInOneRoundTrip(
  dataSource: DataSource,
  statements: readonly PostgresStatement[],
  { genericPlans = false }: { genericPlans?: boolean } = {},
): Promise<Rows[]> {
  const naming = tableNamingOf(dataSource);
  const texts = statements.map(({ text }) => naming?.rewrite(text) ?? text);
  const names = texts.map(statementName);
  const executes = statements.map(({ values }, index) => `EXECUTE ${names[index]}${argumentList(values)}`);
  const execute = (genericPlans ? [GENERIC_PLANS, ...executes] : executes).join(';\n');
  const [client, release] = (await (dataSource.driver as PostgresDriver).obtainMasterConnection()) as [PgClient, (error?: Error) => void];
  // The pool stops listening to a connection it hands out: a connection lost while checked
  // out (PostgreSQL gone, the network cut) would emit an 'error' nobody hears and end the
  // process. The call fails with that loss instead, and the pool discards the connection.
  let lost: Error | undefined;
  const onLost = (error: Error) => (lost = error);
  client.on('error', onLost);
  try {
    await prepare(client, texts, names);
    let result;
    try {
      result = await client.query(execute);
      if (genericPlans) result = (result as Array<{ rows: Rows }>).slice(1);
    } catch (error) {
      if ((error as { code?: string }).code !== UNKNOWN_STATEMENT) throw error;
      // Deallocated behind our back (DISCARD ALL), or a pooler in transaction mode (PgBouncer)
      // that runs each message on another server connection: the same statements with their
      // values written in, unprepared, in one message; the next call prepares again.
      preparedOn.delete(client);
      result = await client.query(texts.map((text, index) => withValuesWritten(text, statements[index].values)).join(';\n'));
    }
    return (Array.isArray(result) ? result : [result]).map((each) => each.rows);
  } finally {
    client.removeListener('error', onLost);
    release(lost);
  }
}

/** `(v1, v2)`, or nothing for a statement without parameters (`EXECUTE name()` is a syntax error). */
function argumentList(values: readonly PostgresValue[]): string {
  return values.length === 0 ? '' : `(${values.map(valueLiteral).join(', ')})`;
}

async function prepare(client: PgClient, texts: string[], names: string[]): Promise<void> {
  let prepared = preparedOn.get(client);
  if (!prepared) preparedOn.set(client, (prepared = new Set()));
  for (const [index, name] of names.entries()) {
    if (prepared.has(name)) continue;
    try {
      await client.query(`PREPARE ${name} AS ${numberedPlaceholders(texts[index])}`);
    } catch (error) {
      if ((error as { code?: string }).code !== DUPLICATE_STATEMENT) throw error;
    }
    prepared.add(name);
  }
}

/** The statement with each `?` replaced by its value as a literal. */
function withValuesWritten(text: string, values: readonly PostgresValue[]): string {
  let index = 0;
  return text.replace(/\?/g, () => valueLiteral(values[index++]));
}

/** A name that only this text (table naming included) gets, apart from the host's statements. */
function statementName(text: string): string {
  return `nln_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
}
